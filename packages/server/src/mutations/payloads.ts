/** `success_payload` as the Prefect layer answers it: `error` is only ever set by a failed write it reports. */
export function successPayload(success: boolean): { success: boolean; error: null } {
  return { success, error: null };
}
