// A TypeDoc plugin: every function, class and constant exported by an entry point carries an
// `@example` in its TSDoc, so the API reference shows how to use each one. A missing example is a
// warning, which `treatValidationWarningsAsErrors` makes an error in `npm run docs`.
import { Application, ReflectionKind } from 'typedoc';

const NEEDS_EXAMPLE = ReflectionKind.Function | ReflectionKind.Class | ReflectionKind.Variable;

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const reflection of project.getReflectionsByKind(NEEDS_EXAMPLE)) {
      // Only what an entry point exports: a module's direct children.
      if (!reflection.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project)) continue;
      const comment =
        reflection.comment ??
        reflection.signatures?.find((signature) => signature.comment)?.comment;
      if (!comment?.getTag('@example')) {
        app.logger.validationWarning(
          `${reflection.getFriendlyFullName()} (${ReflectionKind[reflection.kind]}) has no @example in its TSDoc`,
        );
      }
    }
  });
}
