/**
 * The client's typed view of the Citelens language server: one method per Citelens request, and an
 * event when the library changes. Features use this, never `sendRequest` with a method name. A
 * request made while the server restarts waits for it; a failed request answers empty and is logged.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../protocol/requests';
import { Logger } from './logger';

export class CitelensServer implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<P.LibraryChangedParams>();
  /** Fires when the library changed (sources loaded, reloaded or removed). */
  readonly onDidChangeLibrary = this.changed.event;
  /** The last library state the server announced. */
  last: P.LibraryChangedParams | undefined;

  constructor(
    private readonly client: () => Promise<LanguageClient>,
    private readonly logger: Logger,
  ) {}

  /** Called by the client for each `citelens/libraryChanged` notification. */
  libraryChanged(p: P.LibraryChangedParams): void {
    this.last = p;
    this.changed.fire(p);
  }

  private async ask<R>(method: string, params: unknown, fallback: R): Promise<R> {
    try {
      const c = await this.client();
      return ((await c.sendRequest(method, params)) as R) ?? fallback;
    } catch (e) {
      this.logger.error(method, e);
      return fallback;
    }
  }

  search(params: P.SearchParams): Promise<P.SearchResult> {
    return this.ask(P.SearchRequest, params, { hits: [], strongCount: 0, complete: false });
  }
  paper(key: string, uri?: string): Promise<P.PaperResult | null> {
    return this.ask<P.PaperResult | null>(P.PaperRequest, { key, uri } satisfies P.PaperParams, null);
  }
  topics(filter?: string): Promise<P.TopicsResult> {
    return this.ask(P.TopicsRequest, { filter } satisfies P.TopicsParams, { topics: [] });
  }
  topicPapers(params: P.TopicPapersParams): Promise<P.TopicPapersResult> {
    return this.ask(P.TopicPapersRequest, params, { papers: [], more: 0 });
  }
  topicOfPaper(params: P.TopicOfPaperParams): Promise<string | null> {
    return this.ask<string | null>(P.TopicOfPaperRequest, params, null);
  }
  related(params: P.RelatedParams): Promise<P.RelatedResult> {
    return this.ask(P.RelatedRequest, params, { suggestions: [] });
  }
  paperCard(params: P.PaperCardParams): Promise<P.PaperCardResult | null> {
    return this.ask<P.PaperCardResult | null>(P.PaperCardRequest, params, null);
  }
  libraryStatus(): Promise<P.LibraryStatusResult | null> {
    return this.ask<P.LibraryStatusResult | null>(P.LibraryStatusRequest, {}, null);
  }
  citePlan(params: P.CitePlanParams): Promise<P.CitePlanResult> {
    return this.ask(P.CitePlanRequest, params, { keys: [] });
  }
  cited(params: P.CitedParams): Promise<P.CitedResult | null> {
    return this.ask<P.CitedResult | null>(P.CitedRequest, params, null);
  }
  mentions(uri: string): Promise<P.MentionsResult> {
    return this.ask(P.MentionsRequest, { uri } satisfies P.MentionsParams, { ranges: [] });
  }
  keyAt(uri: string, position: P.Position): Promise<string | undefined> {
    return this.ask<P.KeyAtResult>(P.KeyAtRequest, { uri, position } satisfies P.KeyAtParams, {}).then((r) => r.key);
  }
  paperPage(key: string): Promise<string> {
    return this.ask(P.PaperPageRequest, { key } satisfies P.PaperPageParams, '');
  }
  /** A test request (answered only when the server was started for tests). */
  test<R>(method: string, params: unknown): Promise<R | null> {
    return this.ask<R | null>(method, params, null);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A protocol position from an editor position. */
export function toPosition(p: vscode.Position): P.Position {
  return { line: p.line, character: p.character };
}

/** An editor range from a protocol range. */
export function toRange(r: P.Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
