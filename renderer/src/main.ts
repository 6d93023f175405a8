import './styles/theme.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { theme } from './lib/theme.svelte.js';
import { locale } from './i18n/index.js';

theme.init();
locale.init();
mount(App, { target: document.getElementById('app')! });
