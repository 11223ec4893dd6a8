// Configuration module for the API reference at /scalar (see DashboardServiceExtensions): every
// request Scalar makes to this service (the OpenAPI document, and the requests tried from the
// page) carries the key this tab holds, the dashboard's when opened from it. A 401 asks for one.
import { API_KEY_HEADER, KEY_STORAGE } from './api.js';

async function fetchWithKey(input, init = {}) {
  const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
  if (url.origin !== window.location.origin) return fetch(input, init);   // never send the key elsewhere

  const send = () => {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (key && !headers.has(API_KEY_HEADER)) headers.set(API_KEY_HEADER, key);
    return fetch(input, { ...init, headers });
  };
  const response = await send();
  if (response.status !== 401) return response;
  const key = window.prompt('This service needs an API key (X-API-Key). It is kept in this tab only.');
  if (!key) return response;
  sessionStorage.setItem(KEY_STORAGE, key.trim());
  return send();
}

export default { customFetch: fetchWithKey };
