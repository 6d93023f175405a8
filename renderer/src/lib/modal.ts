// A native <dialog> kept in step with an `open` flag. showModal/close where the browser has them (focus
// stays inside, Esc cancels); the open attribute where it does not (jsdom).

/** Opens or closes `dialog` to match `open`; true when this call just opened it. */
export function syncModal(dialog: HTMLDialogElement, open: boolean): boolean {
  if (open && !dialog.open) {
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    return true;
  }
  if (!open && dialog.open) {
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
  }
  return false;
}
