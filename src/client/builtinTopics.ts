/** Reads `corpus/topics.json` (the built-in corpus's topics) once. */
import * as vscode from 'vscode';
import { TopicDefinition } from '../core/analysis/topics';

let cached: Promise<TopicDefinition[]> | undefined;

export function loadBuiltinTopics(extensionUri: vscode.Uri): Promise<TopicDefinition[]> {
  cached ??= Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'corpus/topics.json'))).then(
    (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as TopicDefinition[],
    () => [],
  );
  return cached;
}
