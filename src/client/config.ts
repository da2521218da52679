/**
 * Typed access to the `citelens.*` settings: one getter per setting, defaults in one place
 * (they mirror package.json's `contributes.configuration`).
 */
import * as vscode from 'vscode';

export type PaperSort = 'year' | 'title' | 'relevance';

export interface UserTopic {
  name: string;
  query: string;
}

export class Config {
  static readonly section = 'citelens';

  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Config.section);
  }

  /** Paths and globs of library files, workspace-relative or absolute. */
  get libraries(): string[] {
    return this.cfg.get<string[]>('libraries', []);
  }

  /** Whether large libraries are kept, parsed and indexed, in the extension's storage between sessions. */
  get cacheEnabled(): boolean {
    return this.cfg.get<boolean>('cache.enabled', true);
  }

  get builtinCorpusEnabled(): boolean {
    return this.cfg.get<boolean>('builtinCorpus.enabled', true);
  }

  /** LaTeX citation command without backslash ("cite", "citep", "autocite", …). */
  get latexCommand(): string {
    return this.cfg.get<string>('citation.latexCommand', 'cite').replace(/^\\/, '');
  }

  /** Per-language citation templates with `${keys}`, overriding the built-in syntax for new citations. */
  get citationFormats(): Record<string, string> {
    return this.cfg.get<Record<string, string>>('citation.format', {});
  }

  /** Bibliography file used when a document names none, workspace-relative. */
  get defaultBibliography(): string {
    return this.cfg.get<string>('bibliography.defaultFile', 'references.bib');
  }

  get addToBibliography(): boolean {
    return this.cfg.get<boolean>('bibliography.addEntries', true);
  }

  get topics(): UserTopic[] {
    return this.cfg.get<UserTopic[]>('topics', []).filter((t) => t && typeof t.name === 'string' && typeof t.query === 'string');
  }

  get paperSort(): PaperSort {
    return this.cfg.get<PaperSort>('topics.sortBy', 'year');
  }

  get mentionsDiagnostics(): boolean {
    return this.cfg.get<boolean>('diagnostics.mentionedNotCited', true);
  }

  get unknownKeyDiagnostics(): boolean {
    return this.cfg.get<boolean>('diagnostics.unknownKeys', true);
  }

  get decorateMentions(): boolean {
    return this.cfg.get<boolean>('hover.decorateMentions', false);
  }

  get relatedEnabled(): boolean {
    return this.cfg.get<boolean>('related.enabled', true);
  }

  /** True when a change event touches any Citelens setting in `sub` (e.g. "libraries"). */
  static affects(e: vscode.ConfigurationChangeEvent, sub?: string): boolean {
    return e.affectsConfiguration(sub ? `${Config.section}.${sub}` : Config.section);
  }
}
