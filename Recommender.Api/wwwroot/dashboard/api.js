// Calls the service with the API key this tab was given. The page lives at /dashboard/, so
// every URL is relative to it: the service may sit behind a reverse proxy's path prefix.
export const KEY_STORAGE = 'recommender.apiKey';
export const API_KEY_HEADER = 'X-API-Key';

/** The service answered 401: no key, or a key it does not accept. */
export class KeyNeeded extends Error {
  constructor(rejected) {
    super(rejected ? 'The API key was not accepted. Check it and try again.' : 'This service needs an API key.');
    this.rejected = rejected;
  }
}

/** Any other failure, with the problem details' title and detail when the service sent them. */
export class ServiceError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function storedKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export async function getJson(url) {
  const key = storedKey();
  let response;
  try {
    response = await fetch(url, { headers: key ? { [API_KEY_HEADER]: key } : {} });
  } catch (e) {
    throw new ServiceError(0, `The service did not answer (${e.message}).`);
  }
  if (response.status === 401) throw new KeyNeeded(Boolean(key));
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    const text = [problem?.title, problem?.detail].filter(Boolean).join(': ');
    throw new ServiceError(response.status, text || `${response.status} ${response.statusText}`);
  }
  return response.json();
}
