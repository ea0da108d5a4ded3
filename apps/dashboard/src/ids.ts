const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string can be a flow run id at all: anything else is not asked about. */
export const isUuid = (value: string): boolean => UUID.test(value);
