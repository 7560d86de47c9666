import { storedToken } from './api/client';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Downloads an API resource in another representation (CSV, XLSX) with the bearer token,
 * which a plain link could not send. The file name comes from Content-Disposition.
 */
export async function download(path: string, accept: string, fallbackName: string): Promise<boolean> {
  const response = await fetch(`/api/v1${path}`, {
    headers: { Accept: accept, Authorization: `Bearer ${storedToken() ?? ''}` },
  });
  if (!response.ok) return false;
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
  return true;
}
