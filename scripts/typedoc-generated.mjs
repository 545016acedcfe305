// A TypeDoc plugin: the members of generated/ (openapi-typescript's output, never edited by hand)
// are left out of the undocumented-member check. They are documented where they come from, the
// spec's descriptions; the structural members openapi-typescript adds (`parameters`, `content`,
// `application/json`, ...) have no description to carry. Everything in src/ stays checked.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const required = app.options
      .getValue('requiredToBeDocumented')
      .reduce((kinds, name) => kinds | ReflectionKind[name], 0);
    const underParameter = (reflection) => {
      for (let r = reflection.parent; r; r = r.parent) {
        if (r.kindOf(ReflectionKind.Parameter)) return true;
      }
      return false;
    };
    const fromGenerated = (reflection) =>
      reflection.sources?.length > 0 &&
      reflection.sources.every((source) => /(^|\/)generated\//.test(source.fullFileName));
    // The same reflections TypeDoc's check visits (it skips whatever sits under a parameter), so
    // that every name listed is used and TypeDoc does not warn about stale entries.
    const names = context.project
      .getReflectionsByKind(required)
      .filter((r) => !r.hasComment() && fromGenerated(r) && !underParameter(r))
      .map((reflection) => reflection.getFriendlyFullName());
    const listed = app.options.getValue('intentionallyNotDocumented');
    app.options.setValue('intentionallyNotDocumented', [...new Set([...listed, ...names])]);
  });
}
