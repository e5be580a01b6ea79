/**
 * Docker's image reference grammar, as far as an image name handed over by
 * another plugin (`procfile-extract <app> <image>`) may use it before it
 * becomes part of an engine API path (`/images/<name>/json`): an optional
 * registry host (with port), lower-case path components joined by `.`, `_`,
 * `__` or dashes, an optional tag and an optional digest; or an image ID.
 * Nothing that could climb out of the path (`..`, a leading `-` or `/`).
 */
const HOST_PART = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const DOMAIN = `${HOST_PART}(?:\\.${HOST_PART})*(?::[0-9]+)?`;
const COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{64}$/;

export function isImageReference(image: string): boolean {
  if (image.length === 0 || image.length > 512) return false;
  return IMAGE_ID.test(image) || REFERENCE.test(image);
}
