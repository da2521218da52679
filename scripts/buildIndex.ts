/**
 * Build step: saves the index segment of the built-in corpus, so activation loads it instead of
 * building it.   node out/build/buildIndex.js corpus/papers.json dist/corpusIndex.bin
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { corpusPapers } from '../src/core/sources/corpus';
import { PaperIndex } from '../src/core/search/searchIndex';

const [input, output] = process.argv.slice(2);
const papers = corpusPapers(JSON.parse(readFileSync(input, 'utf8')));
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, PaperIndex.build(papers).toBytes());
