/**
 * Evaluates the Terraform expressions that synthesized Helm values contain (`${yamlencode({…})}`,
 * `format`, `join`, `distinct`, `compact`, `concat`, `trimspace`, `lookup`, references), without
 * Terraform: references are answered by a resolver (placeholders or known outputs). Only the
 * subset cdktf writes for this project is supported; anything else is an error that names it.
 */
import { stringify } from 'yaml';

/** A Terraform value: string, number, bool, null, list or object. */
export type TfValue = string | number | boolean | null | TfValue[] | { [key: string]: TfValue };

/** Answers a reference such as `tls_self_signed_cert.Ca.cert_pem` or `local.x` (dotted, index keys as segments). */
export type ReferenceResolver = (reference: readonly string[]) => TfValue;

export class ExpressionError extends Error {}

type Node =
  | { t: 'lit'; v: TfValue }
  | { t: 'tpl'; parts: (string | Node)[] }
  | { t: 'ref'; path: (string | Node)[] }
  | { t: 'call'; name: string; args: Node[] }
  | { t: 'list'; items: Node[] }
  | { t: 'obj'; entries: [Node, Node][] }
  | { t: 'cond'; test: Node; then: Node; else: Node }
  | { t: 'bin'; op: string; left: Node; right: Node };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  private peek(): string {
    this.ws();
    return this.s[this.i] ?? '';
  }
  private expect(c: string): void {
    this.ws();
    if (!this.s.startsWith(c, this.i)) throw new ExpressionError(`expected "${c}" at ${this.i} in ${this.s.slice(0, 120)}`);
    this.i += c.length;
  }
  atEnd(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }

  /** A whole template: literal text with `${…}` interpolations. */
  template(until?: string): Node {
    const parts: (string | Node)[] = [];
    let text = '';
    while (this.i < this.s.length) {
      if (until !== undefined && this.s[this.i] === until) break;
      if (this.s.startsWith('$${', this.i)) {
        text += '${';
        this.i += 3;
      } else if (this.s.startsWith('${', this.i)) {
        if (text) parts.push(text);
        text = '';
        this.i += 2;
        parts.push(this.expr());
        this.expect('}');
      } else if (until !== undefined && this.s[this.i] === '\\') {
        const c = this.s[this.i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (c === 'u') {
          text += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else {
          text += map[c] ?? c;
          this.i += 2;
        }
      } else {
        text += this.s[this.i++];
      }
    }
    if (text) parts.push(text);
    if (parts.length === 1 && typeof parts[0] !== 'string' && until === undefined) return parts[0];
    return { t: 'tpl', parts };
  }

  expr(): Node {
    const test = this.binary(0);
    if (this.peek() === '?') {
      this.i++;
      const then = this.expr();
      this.expect(':');
      return { t: 'cond', test, then, else: this.expr() };
    }
    return test;
  }

  private static readonly OPS = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Node {
    if (level >= Parser.OPS.length) return this.postfix(this.primary());
    let left = this.binary(level + 1);
    for (;;) {
      this.ws();
      const op = Parser.OPS[level].find((o) => this.s.startsWith(o, this.i) && !(o === '-' && false));
      if (op === undefined) return left;
      this.i += op.length;
      left = { t: 'bin', op, left, right: this.binary(level + 1) };
    }
  }

  private primary(): Node {
    const c = this.peek();
    if (c === '"') {
      this.i++;
      const node = this.template('"');
      this.expect('"');
      return node;
    }
    if (c === '[') {
      this.i++;
      const items: Node[] = [];
      while (this.peek() !== ']') {
        items.push(this.expr());
        if (this.peek() === ',') this.i++;
      }
      this.i++;
      return { t: 'list', items };
    }
    if (c === '{') {
      this.i++;
      const entries: [Node, Node][] = [];
      while (this.peek() !== '}') {
        let key: Node;
        if (this.peek() === '"') key = this.primary();
        else key = { t: 'lit', v: this.identifier() };
        this.ws();
        if (this.s[this.i] === '=' || this.s[this.i] === ':') this.i++;
        else throw new ExpressionError(`expected "=" at ${this.i} in ${this.s.slice(0, 120)}`);
        entries.push([key, this.expr()]);
        if (this.peek() === ',') this.i++;
      }
      this.i++;
      return { t: 'obj', entries };
    }
    if (c === '(') {
      this.i++;
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (c === '!' || c === '-') {
      this.i++;
      const operand = this.postfix(this.primary());
      return c === '!' ? { t: 'bin', op: '!', left: operand, right: operand } : { t: 'bin', op: '-', left: { t: 'lit', v: 0 }, right: operand };
    }
    const num = /^\d+(\.\d+)?/.exec(this.s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return { t: 'lit', v: Number(num[0]) };
    }
    const id = this.identifier();
    if (id === 'true' || id === 'false') return { t: 'lit', v: id === 'true' };
    if (id === 'null') return { t: 'lit', v: null };
    if (this.peek() === '(' && this.s[this.i] === '(') {
      this.i++;
      const args: Node[] = [];
      while (this.peek() !== ')') {
        args.push(this.expr());
        if (this.peek() === ',') this.i++;
        if (this.s.startsWith('...', this.i)) this.i += 3;
      }
      this.i++;
      return { t: 'call', name: id, args };
    }
    return { t: 'ref', path: [id] };
  }

  private postfix(node: Node): Node {
    for (;;) {
      // No whitespace between a reference and its attribute access.
      const c = this.s[this.i];
      if (c === '.' && /[A-Za-z_]/.test(this.s[this.i + 1] ?? '')) {
        this.i++;
        node = this.extend(node, { t: 'lit', v: this.identifier() });
      } else if (c === '[') {
        this.i++;
        const index = this.expr();
        this.expect(']');
        node = this.extend(node, index);
      } else {
        return node;
      }
    }
  }

  private extend(node: Node, key: Node): Node {
    if (node.t === 'ref') return { t: 'ref', path: [...node.path, key] };
    // Attribute of a computed value: model as a call.
    return { t: 'call', name: '__index', args: [node, key] };
  }

  private identifier(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
    if (!m) throw new ExpressionError(`unexpected "${this.s.slice(this.i, this.i + 20)}" at ${this.i} in ${this.s.slice(0, 120)}`);
    this.i += m[0].length;
    return m[0];
  }
}

const isObject = (v: TfValue): v is { [key: string]: TfValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: TfValue, fn: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ExpressionError(`${fn}: expected a string, got ${JSON.stringify(v)?.slice(0, 80)}`);
}

function list(v: TfValue, fn: string): TfValue[] {
  if (Array.isArray(v)) return v;
  throw new ExpressionError(`${fn}: expected a list, got ${JSON.stringify(v)?.slice(0, 80)}`);
}

/** The Terraform functions this evaluator knows. */
const FUNCTIONS: Record<string, (args: TfValue[]) => TfValue> = {
  yamlencode: ([v]) => stringify(v, { lineWidth: 0 }),
  jsonencode: ([v]) => JSON.stringify(v),
  format: ([f, ...rest]) => {
    let n = 0;
    return str(f, 'format').replace(/%([sdv%])/g, (_, c: string) => (c === '%' ? '%' : str(rest[n++], 'format')));
  },
  join: ([sep, l]) =>
    list(l, 'join')
      .map((x) => str(x, 'join'))
      .join(str(sep, 'join')),
  distinct: ([l]) => list(l, 'distinct').filter((x, i, all) => all.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i),
  compact: ([l]) => list(l, 'compact').filter((x) => x !== null && x !== ''),
  concat: (ls) => ls.flatMap((l) => list(l, 'concat')),
  trimspace: ([s]) => str(s, 'trimspace').trim(),
  trimsuffix: ([s, x]) =>
    str(s, 'trimsuffix').endsWith(str(x, 'trimsuffix')) ? str(s, 'trimsuffix').slice(0, -str(x, 'trimsuffix').length) : str(s, 'trimsuffix'),
  tostring: ([s]) => (s === null ? null : str(s, 'tostring')),
  tolist: ([l]) => list(l, 'tolist'),
  flatten: ([l]) => list(l, 'flatten').flat(Infinity as 1),
  length: ([l]) => (typeof l === 'string' ? l.length : Array.isArray(l) ? l.length : isObject(l) ? Object.keys(l).length : 0),
  lookup: ([m, k, d]) => {
    if (!isObject(m)) throw new ExpressionError(`lookup: expected a map, got ${JSON.stringify(m)?.slice(0, 80)}`);
    const key = str(k, 'lookup');
    if (key in m) return m[key];
    if (d === undefined) throw new ExpressionError(`lookup: no key ${JSON.stringify(key)}`);
    return d;
  },
  base64encode: ([s]) => Buffer.from(str(s, 'base64encode')).toString('base64'),
  __index: ([v, k]) => {
    if (Array.isArray(v)) return v[Number(k)] ?? null;
    if (isObject(v)) return v[str(k, 'index')] ?? null;
    throw new ExpressionError(`cannot index ${JSON.stringify(v)?.slice(0, 80)}`);
  },
};

function evaluateNode(node: Node, resolve: ReferenceResolver): TfValue {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'tpl':
      return node.parts.map((p) => (typeof p === 'string' ? p : str(evaluateNode(p, resolve), 'template'))).join('');
    case 'list':
      return node.items.map((n) => evaluateNode(n, resolve));
    case 'obj':
      return Object.fromEntries(node.entries.map(([k, v]) => [str(evaluateNode(k, resolve), 'object key'), evaluateNode(v, resolve)]));
    case 'ref':
      return resolve(node.path.map((p) => (typeof p === 'string' ? p : str(evaluateNode(p, resolve), 'index'))));
    case 'cond':
      return evaluateNode(node.test, resolve) === true ? evaluateNode(node.then, resolve) : evaluateNode(node.else, resolve);
    case 'bin': {
      const l = evaluateNode(node.left, resolve);
      const r = evaluateNode(node.right, resolve);
      switch (node.op) {
        case '==':
          return JSON.stringify(l) === JSON.stringify(r);
        case '!=':
          return JSON.stringify(l) !== JSON.stringify(r);
        case '&&':
          return l === true && r === true;
        case '||':
          return l === true || r === true;
        case '!':
          return l !== true;
        case '+':
          return Number(l) + Number(r);
        case '-':
          return Number(l) - Number(r);
        case '*':
          return Number(l) * Number(r);
        case '/':
          return Number(l) / Number(r);
        case '%':
          return Number(l) % Number(r);
        case '<':
          return Number(l) < Number(r);
        case '>':
          return Number(l) > Number(r);
        case '<=':
          return Number(l) <= Number(r);
        case '>=':
          return Number(l) >= Number(r);
        default:
          throw new ExpressionError(`operator ${node.op}`);
      }
    }
    case 'call': {
      const fn = FUNCTIONS[node.name];
      if (fn === undefined)
        throw new ExpressionError(
          `the Terraform function ${node.name}() is not supported by render (supported: ${Object.keys(FUNCTIONS)
            .filter((f) => !f.startsWith('_'))
            .join(', ')})`,
        );
      return fn(node.args.map((a) => evaluateNode(a, resolve)));
    }
  }
}

/** Whether a string holds a Terraform interpolation (`${…}`, not the `$${` escape). */
export function hasInterpolation(text: string): boolean {
  return /(^|[^$])\$\{/.test(text);
}

/**
 * Evaluates a string as Terraform evaluates a string attribute: literal text with `${…}`
 * interpolations. A string that is one interpolation yields that expression's value (any type).
 * @throws ExpressionError for syntax or functions this evaluator does not support
 */
export function evaluateTemplate(text: string, resolve: ReferenceResolver): TfValue {
  const parser = new Parser(text);
  const node = parser.template();
  return evaluateNode(node, resolve);
}

/** Evaluates every string inside a JSON value (e.g. a `locals` entry) as a template. */
export function evaluateDeep(value: unknown, resolve: ReferenceResolver): TfValue {
  if (typeof value === 'string') return hasInterpolation(value) ? evaluateTemplate(value, resolve) : value.replace(/\$\$\{/g, '${');
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, resolve));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateDeep(v, resolve)]));
  return value as TfValue;
}
