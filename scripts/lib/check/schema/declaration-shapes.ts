import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ANY, LEAF, type Shape } from './field-shape.ts';

interface ParsedFile {
  declarations: Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
  imports: Map<string, { specifier: string; name: string }>;
  /** `export type { A as B }`: B → A. */
  aliases: Map<string, string>;
}

const WRAPPERS = new Set([
  'Exclude',
  'Extract',
  'NonNullable',
  'Partial',
  'Required',
  'Readonly',
  'Omit',
  'Pick',
]);

/**
 * Builds known-field shapes from the schema packages' TypeScript declarations, using only the
 * TypeScript parser (no type checker): interfaces, inline object types, arrays, index signatures,
 * unions and intersections (merged), and imports across files and packages.
 */
export class DeclarationShapes {
  private readonly files = new Map<string, ParsedFile>();
  private readonly named = new Map<string, number>();

  constructor(readonly shapes: Shape[]) {}

  /** Shape id of the interface or type `name` declared in `file`. */
  shapeOf(file: string, name: string): number {
    const key = `${file}#${name}`;
    const known = this.named.get(key);
    if (known !== undefined) return known;
    const parsed = this.parse(file);
    if (!parsed) return ANY;
    const decl = parsed.declarations.get(name);
    if (decl) {
      if (ts.isInterfaceDeclaration(decl)) {
        // Reserve the id first: declarations refer to themselves.
        const id = this.add({ o: {} });
        this.named.set(key, id);
        const shape = this.shapes[id] as { o: Record<string, number>; m?: number };
        for (const h of decl.heritageClauses ?? [])
          for (const t of h.types) {
            const base = this.shapes[this.reference(file, t.expression.getText(), t.typeArguments)];
            if (base && 'o' in base) Object.assign(shape.o, base.o);
          }
        this.members(decl.members, file, shape);
        // An empty interface (RawExtension, JSON) stands for free-form content.
        if (Object.keys(shape.o).length === 0 && shape.m === undefined) this.shapes[id] = { any: true };
        return id;
      }
      this.named.set(key, ANY);
      const id = this.fromType(decl.type, file);
      this.named.set(key, id);
      return id;
    }
    const original = parsed.aliases.get(name);
    if (original) return this.shapeOf(file, original);
    const imp = parsed.imports.get(name);
    if (imp) {
      const target = resolveModule(file, imp.specifier);
      return target ? this.shapeOf(target, imp.name) : ANY;
    }
    return ANY;
  }

  private add(shape: Shape): number {
    this.shapes.push(shape);
    return this.shapes.length - 1;
  }

  private members(
    members: ts.NodeArray<ts.TypeElement>,
    file: string,
    into: { o: Record<string, number>; m?: number },
  ) {
    for (const m of members) {
      if (ts.isPropertySignature(m) && m.name) {
        const name = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
        into.o[name] = m.type ? this.fromType(m.type, file) : ANY;
      } else if (ts.isIndexSignatureDeclaration(m)) {
        into.m = this.fromType(m.type, file);
      }
    }
  }

  private fromType(node: ts.TypeNode, file: string): number {
    switch (node.kind) {
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.ObjectKeyword:
        return ANY;
      case ts.SyntaxKind.TypeLiteral: {
        const lit = node as ts.TypeLiteralNode;
        if (lit.members.length === 0) return ANY;
        const shape: { o: Record<string, number>; m?: number } = { o: {} };
        this.members(lit.members, file, shape);
        return this.add(shape);
      }
      case ts.SyntaxKind.ArrayType:
        return this.add({ a: this.fromType((node as ts.ArrayTypeNode).elementType, file) });
      case ts.SyntaxKind.ParenthesizedType:
        return this.fromType((node as ts.ParenthesizedTypeNode).type, file);
      case ts.SyntaxKind.TypeOperator:
        return this.fromType((node as ts.TypeOperatorNode).type, file);
      case ts.SyntaxKind.UnionType:
      case ts.SyntaxKind.IntersectionType:
        return this.merge((node as ts.UnionTypeNode).types.map((t) => this.fromType(t, file)));
      case ts.SyntaxKind.TypeReference: {
        const ref = node as ts.TypeReferenceNode;
        return this.reference(file, ref.typeName.getText(), ref.typeArguments);
      }
      default:
        return LEAF;
    }
  }

  private reference(file: string, name: string, args: ts.NodeArray<ts.TypeNode> | undefined): number {
    if ((name === 'Array' || name === 'ReadonlyArray') && args?.[0])
      return this.add({ a: this.fromType(args[0], file) });
    if (name === 'Record' && args?.[1]) return this.add({ o: {}, m: this.fromType(args[1], file) });
    if (WRAPPERS.has(name)) return args?.[0] ? this.fromType(args[0], file) : ANY;
    if (name.includes('.')) return ANY;
    return this.shapeOf(file, name);
  }

  /** Union and intersection members merge: a field known in any member is known. */
  private merge(ids: number[]): number {
    const objects = ids.map((id) => this.shapes[id]!).filter((s) => 'o' in s) as {
      o: Record<string, number>;
      m?: number;
    }[];
    if (ids.some((id) => id === ANY)) return ANY;
    if (objects.length === 0) return ids.find((id) => 'a' in this.shapes[id]!) ?? LEAF;
    if (objects.length === 1) return ids.find((id) => this.shapes[id] === objects[0])!;
    const merged: { o: Record<string, number>; m?: number } = { o: {} };
    for (const s of objects) {
      for (const [k, v] of Object.entries(s.o)) merged.o[k] ??= v;
      if (s.m !== undefined) merged.m ??= s.m;
    }
    return this.add(merged);
  }

  private parse(file: string): ParsedFile | undefined {
    let parsed = this.files.get(file);
    if (parsed) return parsed;
    if (!existsSync(file)) return undefined;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed = { declarations: new Map(), imports: new Map(), aliases: new Map() };
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st))
        parsed.declarations.set(st.name.text, st);
      else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
        const bindings = st.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings))
          for (const el of bindings.elements)
            parsed.imports.set(el.name.text, {
              specifier: st.moduleSpecifier.text,
              name: (el.propertyName ?? el.name).text,
            });
      } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const original = (el.propertyName ?? el.name).text;
          if (st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier))
            parsed.imports.set(el.name.text, { specifier: st.moduleSpecifier.text, name: original });
          else if (original !== el.name.text) parsed.aliases.set(el.name.text, original);
        }
      }
    }
    this.files.set(file, parsed);
    return parsed;
  }
}

/** Resolves an import specifier from a declaration file to the `.d.ts` it names. */
export function resolveModule(fromFile: string, specifier: string): string | undefined {
  const candidates = (base: string) => [
    ...(base.endsWith('.js') ? [base.replace(/\.js$/, '.d.ts')] : []),
    `${base}.d.ts`,
    path.join(base, 'index.d.ts'),
  ];
  if (specifier.startsWith('.')) {
    return candidates(path.resolve(path.dirname(fromFile), specifier)).find((f) => existsSync(f));
  }
  let dir = path.dirname(fromFile);
  for (;;) {
    const found = candidates(path.join(dir, 'node_modules', specifier)).find((f) => existsSync(f));
    if (found) return found;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
