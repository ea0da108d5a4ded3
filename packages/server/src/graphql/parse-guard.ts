/**
 * GraphQL's parser recurses once per nesting level of the query text (selections, lists,
 * objects), so text nested a few thousand levels deep exhausts the stack. The text is scanned
 * first with GraphQL's own lexer (no recursion, linear) and refused past a fixed nesting.
 */
import { GraphQLError, Lexer, parse, Source, TokenKind, type DocumentNode, type ParseOptions } from 'graphql';
import { MAX_SOURCE_NESTING, queryTooComplex } from './limits.js';

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** Whether the text nests deeper than `limit` (a syntax error stops the scan: the parser reports it). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  const lexer = new Lexer(new Source(text));
  let depth = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (OPENING.has(token.kind)) {
        depth += 1;
        if (depth > limit) return true;
      } else if (CLOSING.has(token.kind)) {
        depth -= 1;
      }
    }
  } catch (error) {
    if (error instanceof GraphQLError) return false;
    throw error;
  }
  return false;
}

/** `parse`, refusing text nested deeper than {@link MAX_SOURCE_NESTING} with QUERY_TOO_COMPLEX. */
export function parseWithinLimits(source: string | Source, options?: ParseOptions): DocumentNode {
  const text = typeof source === 'string' ? source : source.body;
  if (nestsDeeperThan(text, MAX_SOURCE_NESTING)) throw queryTooComplex('sourceNesting', MAX_SOURCE_NESTING);
  return parse(source, options);
}
