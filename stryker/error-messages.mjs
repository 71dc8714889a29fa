/**
 * Stryker ignorer: the text of an error message is not math. String and template literals inside
 * `new SomethingError(…)` and the field names passed to the `check…` validators are left unmutated; the condition that throws
 * is still mutated, so a validation check that no test exercises still shows up as a survivor.
 */
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

function insideErrorConstruction(path) {
  for (let p = path; p; p = p.parentPath) {
    const node = p.node;
    if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && /Error$/.test(node.callee.name)) return true;
    // checkVector('prior', …): the first argument only names the field in the message.
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && /^check/.test(node.callee.name)) return true;
    if (p.isFunction?.() || p.isStatement?.()) return false;
  }
  return false;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'error-messages', {
    shouldIgnore(path) {
      const literal = path.isStringLiteral() || path.isTemplateLiteral();
      return literal && insideErrorConstruction(path) ? 'the text of an error message' : undefined;
    },
  }),
];
