// Reads the district's API with the session cookie (same origin; the cookie is HttpOnly, so
// no script ever sees the token). Commands are never sent from here: the API refuses the
// cookie for them.

export class ApiError extends Error {
  constructor(status, detail) {
    super(`${status} ${detail}`);
    this.status = status;
  }
}

/** GET /api/v1<path> with the query params that are set; the parsed JSON answer. */
export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, value);
  }
  const url = `/api/v1${path}${query.size ? `?${query}` : ""}`;
  const answer = await fetch(url, { credentials: "same-origin" });
  if (answer.status === 401) {
    location.assign("/dashboard/sign-in");  // the session expired
    throw new ApiError(401, "signed out");
  }
  if (!answer.ok) {
    const body = await answer.json().catch(() => ({}));
    throw new ApiError(answer.status, body.detail ?? answer.statusText);
  }
  return answer.json();
}

let signedIn = null;

/** Who is signed in, the district's now ("today": YYYY-MM-DD in the district) and which of
 * the reads other parts of reporting add exist ("api": paths). */
export async function me() {
  signedIn ??= fetch("/dashboard/me", { credentials: "same-origin" }).then((answer) => {
    if (!answer.ok) {
      location.assign("/dashboard/sign-in");
      throw new ApiError(answer.status, "not signed in");
    }
    return answer.json();
  });
  return signedIn;
}

/** Whether GET <path> exists (e.g. "/api/v1/breaches"): views built on it show themselves
 * once it does, and until then say so (no request into a 404). */
export async function offers(path) {
  return ((await me()).api ?? []).includes(path);
}

/** Whether the exports exist (then pages show CSV and XLSX links). */
export async function exportsOffered() {
  return offers("/api/v1/exports/backlog.csv");
}
