-- Headless Neovim attaches the Citelens language server to a LaTeX file, as a user's config would,
-- and writes what it got (diagnostics, hover, completion, definition) as JSON for the test to check.
-- Uses vim.lsp.start_client (Neovim 0.7, Debian's package; vim.lsp.start needs 0.8).
-- Arguments (environment): CITELENS_SERVER (dist/server.js), CITELENS_DIR (a folder with main.tex
-- and refs.bib), CITELENS_OUT (the JSON file to write).
local server = os.getenv('CITELENS_SERVER')
local dir = os.getenv('CITELENS_DIR')
local out = os.getenv('CITELENS_OUT')
local result = { errors = {} }

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. dir .. '/main.tex')
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'tex'
  local client_id = vim.lsp.start_client({
    name = 'citelens',
    cmd = { 'node', server, '--stdio' },
    root_dir = dir,
    settings = { citelens = {} },
    on_error = function(code) table.insert(result.errors, 'client error ' .. tostring(code)) end,
  })
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  vim.wait(10000, function() return client.initialized end, 50)
  result.initialized = client.initialized

  -- diagnostics arrive by push
  vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(result.diagnostics, d.message) end

  local function request(method, params)
    local responses = vim.lsp.buf_request_sync(buf, method, params, 10000)
    for _, r in pairs(responses or {}) do
      if r.err then table.insert(result.errors, method .. ': ' .. vim.inspect(r.err)) end
      return r.result
    end
  end
  local uri = vim.uri_from_bufnr(buf)
  local line = vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1]
  local title_at = string.find(line, 'Megatron', 1, true)
  local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = 0, character = title_at } })
  result.hover = hover and hover.contents and hover.contents.value or vim.NIL

  local cite_at = string.find(line, 'cite{sm}', 1, true) + 6
  local completion = request('textDocument/completion', { textDocument = { uri = uri }, position = { line = 0, character = cite_at } })
  result.completion = {}
  for _, item in ipairs((completion and (completion.items or completion)) or {}) do table.insert(result.completion, item.label) end

  local key_at = string.find(line, 'smith2020', 1, true)
  local definition = request('textDocument/definition', { textDocument = { uri = uri }, position = { line = 0, character = key_at + 1 } })
  if definition and definition.uri then result.definition = definition
  elseif definition and definition[1] then result.definition = definition[1] end

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
