// Preact with htm's tagged templates: no JSX, no compile step beyond the bundle.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
