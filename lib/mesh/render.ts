/**
 * The mesh for people (a matrix, the missing links with their fixes), for machines (JSON) and
 * for a picture (Graphviz DOT). Pure strings. Names come from our config; what peers said is
 * sanitized before it gets here (./query.ts).
 */
import { MESH_RPC } from './protocol';
import { LinkState, MeshLink, MeshMatrix, countLinks } from './matrix';

const SYMBOL: Readonly<Record<LinkState, string>> = { connected: '✔', missing: '✖', unknown: '?' };

/** 0 when every link is connected, 1 when one is missing or unknown. */
export function meshExitCode(matrix: MeshMatrix): 0 | 1 {
  return matrix.links.every((l) => l.state === 'connected') ? 0 : 1;
}

function headline(matrix: MeshMatrix): string {
  const c = countLinks(matrix.links);
  return `Federation mesh of ${matrix.backendDomain} (environment ${matrix.environment}): ${matrix.backends.length} backends, ${matrix.links.length} links: ${c.connected} connected, ${c.missing} missing, ${c.unknown} unknown`;
}

/** The human report. */
export function renderMeshText(matrix: MeshMatrix): string {
  const n = matrix.backends.length;
  const w = String(n).length;
  const index = new Map(matrix.backends.map((b, i) => [b, i]));
  const grid: string[][] = matrix.backends.map((_, i) => matrix.backends.map((__, j) => (i === j ? '·' : ' ')));
  for (const l of matrix.links) grid[index.get(l.from)!][index.get(l.to)!] = SYMBOL[l.state];
  const cell = (s: string): string => s.padStart(w);
  const lines = [headline(matrix), ''];
  lines.push(`${' '.repeat(w + 2)}${matrix.backends.map((_, j) => cell(String(j + 1))).join(' ')}`);
  matrix.backends.forEach((b, i) => {
    lines.push(`${String(i + 1).padStart(w)}  ${grid[i].map(cell).join(' ')}  ${b}${i === 0 ? ' (us)' : ''}`);
  });
  lines.push(`Row federates with column (lists it in its remotes): ${SYMBOL.connected} yes, ${SYMBOL.missing} no, ${SYMBOL.unknown} unknown.`);
  if (matrix.answers.length > 0 || matrix.missedDeadline.length > 0) {
    lines.push('', `Peers asked (${MESH_RPC}):`);
    const width = Math.max(0, ...matrix.backends.slice(1).map((b) => b.length));
    for (const a of matrix.answers) lines.push(`  ${a.peer.padEnd(width)}  ${a.kind}: ${a.message}${a.hint ? ` → ${a.hint}` : ''}`);
    for (const p of matrix.missedDeadline) lines.push(`  ${p.padEnd(width)}  no answer within the round deadline`);
  }
  const missing = matrix.links.filter((l) => l.state === 'missing');
  if (missing.length > 0) {
    lines.push('', `Missing links (${missing.length}):`);
    for (const l of missing) lines.push(`  ${SYMBOL.missing} ${l.from} → ${l.to}: ${l.reason}`, `    fix: ${l.fix}`);
  }
  const unknown = matrix.links.filter((l) => l.state === 'unknown');
  if (unknown.length > 0) {
    lines.push('', `Unknown links (${unknown.length}), never counted as connected:`);
    const byFrom = new Map<string, MeshLink[]>();
    for (const l of unknown) byFrom.set(l.from, [...(byFrom.get(l.from) ?? []), l]);
    for (const [from, links] of byFrom) lines.push(`  ${SYMBOL.unknown} ${from} → ${links.map((l) => l.to).join(', ')}: ${links[0].reason}`);
  }
  lines.push(
    '',
    meshExitCode(matrix) === 0
      ? 'Full mesh: users of all these backends can share conversations.'
      : missing.length > 0
        ? `NOT a full mesh: conversations with users of both ends of a missing link fail (non-federating-backends).`
        : 'Full mesh NOT proven: some links are unknown.',
  );
  return `${lines.join('\n')}\n`;
}

/** The JSON report (stable field names). */
export function renderMeshJson(matrix: MeshMatrix): string {
  const summary = countLinks(matrix.links);
  return `${JSON.stringify(
    {
      environment: matrix.environment,
      backendDomain: matrix.backendDomain,
      measuredAt: matrix.measuredAt,
      fullMesh: meshExitCode(matrix) === 0,
      exitCode: meshExitCode(matrix),
      summary,
      backends: matrix.backends,
      links: matrix.links,
      missing: matrix.links.filter((l) => l.state === 'missing').map(({ from, to, fix }) => ({ from, to, fix })),
      answers: matrix.answers,
      missedDeadline: matrix.missedDeadline,
    },
    null,
    2,
  )}\n`;
}

const dotId = (s: string): string => `"${s.replace(/["\\]/g, '\\$&')}"`;
const COLOUR: Readonly<Record<LinkState, string>> = { connected: '#2e7d32', missing: '#c62828', unknown: '#9e9e9e' };

/**
 * Graphviz DOT: one node per backend (ours bold), one edge per pair of backends: a green
 * two-headed edge where both list each other, otherwise one edge per direction: green for a
 * link that exists, red dashed "missing" for one that does not (the arrow points at the backend
 * that must be added), grey dotted "?" for an unknown one.
 */
export function renderMeshDot(matrix: MeshMatrix): string {
  const state = new Map(matrix.links.map((l) => [`${l.from}\n${l.to}`, l.state]));
  const c = countLinks(matrix.links);
  const lines = [
    'digraph federation_mesh {',
    `  graph [label=${dotId(`Federation mesh of ${matrix.backendDomain} (${matrix.environment}), ${matrix.measuredAt}: ${c.connected} connected, ${c.missing} missing, ${c.unknown} unknown`)}, labelloc=t, fontname="Helvetica", layout=circo];`,
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  matrix.backends.forEach((b, i) => lines.push(`  ${dotId(b)}${i === 0 ? ' [style="rounded,bold", penwidth=2]' : ''};`));
  for (let i = 0; i < matrix.backends.length; i++) {
    for (let j = i + 1; j < matrix.backends.length; j++) {
      const a = matrix.backends[i];
      const b = matrix.backends[j];
      const ab = state.get(`${a}\n${b}`) ?? 'unknown';
      const ba = state.get(`${b}\n${a}`) ?? 'unknown';
      if (ab === 'connected' && ba === 'connected') {
        lines.push(`  ${dotId(a)} -> ${dotId(b)} [dir=both, color="${COLOUR.connected}"];`);
        continue;
      }
      for (const [from, to, s] of [
        [a, b, ab],
        [b, a, ba],
      ] as const) {
        const style =
          s === 'missing' ? `, style=dashed, penwidth=2, label="missing", fontcolor="${COLOUR.missing}"` : s === 'unknown' ? ', style=dotted, label="?"' : '';
        lines.push(`  ${dotId(from)} -> ${dotId(to)} [color="${COLOUR[s]}"${style}];`);
      }
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
