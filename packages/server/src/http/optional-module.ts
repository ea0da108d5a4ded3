/**
 * Loads a module of this package that may not be part of a given build (the write mutations,
 * the demo seed): undefined when it is absent, any other failure propagates.
 */
export async function optionalModule<T>(specifier: string, base: string): Promise<T | undefined> {
  const url = new URL(specifier, base).href;
  try {
    return (await import(url)) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && (error as Error).message.includes(specifier.replace(/^\.\.?\//, '').replace(/\.js$/, ''))) {
      return undefined;
    }
    throw error;
  }
}
