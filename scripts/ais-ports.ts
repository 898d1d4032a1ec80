/**
 * Writes src/ais/data/sea-ports.json from ../shared/data/sea-ports.json and the corrections in
 * src/ais/data/port-corrections.json: `npm run ais:ports` after changing either.
 */
import fs from 'node:fs';
import path from 'node:path';
import { applyPortCorrections, type PortCorrections, type SourcePorts } from '../src/ais/port-corrections';

const root = path.resolve(__dirname, '..');
const source = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/data/sea-ports.json'), 'utf8')) as SourcePorts;
const corrections = JSON.parse(fs.readFileSync(path.join(root, 'src/ais/data/port-corrections.json'), 'utf8')) as PortCorrections;
fs.writeFileSync(path.join(root, 'src/ais/data/sea-ports.json'), JSON.stringify(applyPortCorrections(source, corrections)) + '\n');
