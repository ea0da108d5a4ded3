/** `success_payload` as the Prefect layer answers it: `error` is only ever set by a failed write it reports. */
export function successPayload(success: boolean): { success: boolean; error: null } {
  return { success, error: null };
}

/**
 * `success_payload` of an update or delete by id: whether a row of the caller's tenant was
 * touched (Prefect Server answers `success: false` when none was), with a message saying why not.
 */
export function updatePayload(updated: boolean, notFoundMessage: string): { success: boolean; error: string | null } {
  return { success: updated, error: updated ? null : notFoundMessage };
}
