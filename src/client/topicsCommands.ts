/** Registers the Topics view and its commands (filter, user topics, reveal). */
import * as vscode from 'vscode';
import { Config, UserTopic } from './config';
import { isCitingDocument } from './documentSelector';
import { CitelensServer } from './serverApi';
import { TopicNode, TopicsProvider } from './topicsView';

/** While libraries load, the tree is refreshed at most this often. */
const LOADING_REFRESH_MS = 2000;

export function registerTopicsView(provider: TopicsProvider, config: Config, server: CitelensServer, dragAndDrop?: vscode.TreeDragAndDropController<TopicNode>): vscode.Disposable {
  const view = vscode.window.createTreeView('citelens.topics', { treeDataProvider: provider, showCollapseAll: true, dragAndDropController: dragAndDrop });
  const setTopics = (topics: UserTopic[]) => vscode.workspace.getConfiguration(Config.section).update('topics', topics, vscode.ConfigurationTarget.Global);
  const updateMessage = () => {
    view.message = provider.filterQuery ? `Filtered: "${provider.filterQuery}"` : undefined;
    void vscode.commands.executeCommand('setContext', 'citelens.topicsFiltered', !!provider.filterQuery);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRefresh = 0;
  const refreshSoon = (loading: boolean) => {
    clearTimeout(timer);
    const wait = loading ? Math.max(0, LOADING_REFRESH_MS - (Date.now() - lastRefresh)) : 100;
    timer = setTimeout(() => {
      lastRefresh = Date.now();
      provider.refresh();
    }, wait);
  };
  // the "cited" marks follow the document being written: another document, or a save of it
  const follow = (doc: vscode.TextDocument | undefined) => {
    if (!doc || !isCitingDocument(doc) || doc === provider.document) return;
    provider.document = doc;
    refreshSoon(false);
  };
  follow(vscode.window.activeTextEditor?.document);
  return vscode.Disposable.from(
    view,
    { dispose: () => clearTimeout(timer) },
    server.onDidChangeLibrary((p) => refreshSoon(p.loading > 0)),
    vscode.window.onDidChangeActiveTextEditor((e) => follow(e?.document)),
    vscode.workspace.onDidSaveTextDocument((d) => d === provider.document && refreshSoon(false)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d === provider.document) provider.document = undefined;
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // the server reads the new topics first; its library-changed notice follows, and a late refresh is harmless
      if (Config.affects(e, 'topics')) setTimeout(() => provider.refresh(), 300);
    }),
    vscode.commands.registerCommand('citelens.filterTopics', async (query?: string) => {
      const q = typeof query === 'string' ? query : await vscode.window.showInputBox({ title: 'Citelens: Filter Topics', prompt: 'Show only papers matching this query', value: provider.filterQuery });
      if (q === undefined) return;
      provider.setFilter(q);
      updateMessage();
    }),
    vscode.commands.registerCommand('citelens.clearTopicsFilter', () => {
      provider.setFilter('');
      updateMessage();
    }),
    vscode.commands.registerCommand('citelens.addTopic', async (name?: string, query?: string) => {
      const n = name ?? (await vscode.window.showInputBox({ title: 'Citelens: Add Topic', prompt: 'Topic name', placeHolder: 'e.g. Long context' }));
      if (!n) return;
      const q = query ?? (await vscode.window.showInputBox({ title: `Citelens: Add Topic "${n}"`, prompt: 'Query: words any of which a paper of this topic mentions', placeHolder: 'e.g. long context length extrapolation' }));
      if (!q) return;
      await setTopics([...config.topics.filter((t) => t.name !== n), { name: n, query: q }]);
    }),
    vscode.commands.registerCommand('citelens.renameTopic', async (node?: TopicNode | string, newName?: string) => {
      const old = typeof node === 'string' ? node : node?.kind === 'topic' ? node.topic.name : await pickUserTopic(config);
      if (!old) return;
      const n = newName ?? (await vscode.window.showInputBox({ title: 'Citelens: Rename Topic', value: old }));
      if (!n || n === old) return;
      await setTopics(config.topics.map((t) => (t.name === old ? { ...t, name: n } : t)));
    }),
    vscode.commands.registerCommand('citelens.editTopicQuery', async (node?: TopicNode | string, newQuery?: string) => {
      const name = typeof node === 'string' ? node : node?.kind === 'topic' ? node.topic.name : await pickUserTopic(config);
      const topic = config.topics.find((t) => t.name === name);
      if (!topic) return;
      const q = newQuery ?? (await vscode.window.showInputBox({ title: `Citelens: Edit Query of "${topic.name}"`, value: topic.query }));
      if (!q) return;
      await setTopics(config.topics.map((t) => (t.name === topic.name ? { ...t, query: q } : t)));
    }),
    vscode.commands.registerCommand('citelens.removeTopic', async (node?: TopicNode | string) => {
      const name = typeof node === 'string' ? node : node?.kind === 'topic' ? node.topic.name : await pickUserTopic(config);
      if (!name) return;
      await setTopics(config.topics.filter((t) => t.name !== name));
    }),
    vscode.commands.registerCommand('citelens.revealPaper', async (key?: string) => {
      const k = key ?? (vscode.window.activeTextEditor ? await vscode.commands.executeCommand<string | undefined>('_citelens.keyAtCursor') : undefined);
      if (!k) return;
      const node = await provider.nodeFor(k);
      if (node) await view.reveal(node, { select: true, focus: false, expand: true });
      else void vscode.window.showInformationMessage(`"${k}" is not listed in the Topics view: filter the view to find it.`);
    }),
  );
}

async function pickUserTopic(config: Config): Promise<string | undefined> {
  const topics = config.topics;
  if (!topics.length) {
    void vscode.window.showInformationMessage('You have no topics of your own yet. Add one with "Citelens: Add Topic".');
    return undefined;
  }
  return vscode.window.showQuickPick(topics.map((t) => t.name), { title: 'Citelens: Pick a Topic' });
}
