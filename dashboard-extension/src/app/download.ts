/**
 * A signed download link works for a few minutes (CREDIT_NOTE_LINK_SECONDS): it is asked for
 * when the merchant clicks, never kept from the list, and followed by an anchor with
 * `download`, which saves the file without leaving the page (inside the Dashboard's iframe a
 * navigation would lose the app's token).
 */
export function saveFrom(url: string, filename: string): void {
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = "noopener";
  anchor.style.display = "none";
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
}

/** A text the API answered (a CSV, a SEPA XML file) saved as a file, the same way. */
export function saveText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  saveFrom(url, filename);
  URL.revokeObjectURL(url);
}
