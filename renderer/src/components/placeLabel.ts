// The file browser's shortcuts in the UI's language: the server sends an English label and a kind; a root's
// or a dataset's name is its folder's own, so only the words around it are translated.
import type { DirectoryListing } from '../../../core/service/api.js';
import { t } from '../i18n/index.js';

export function placeLabel(p: DirectoryListing['places'][number]): string {
  const folder = p.path.split(/[\\/]/).filter(Boolean).at(-1) ?? p.path;
  switch (p.kind) {
    case 'runs': return t('fb.place.runs');
    case 'home': return t('fb.place.home');
    case 'cwd': return t('fb.place.cwd');
    case 'dataset': return t('fb.place.dataset', { name: folder });
    default: return p.label; // a root (already a folder's name), or a server that sends no kind
  }
}
