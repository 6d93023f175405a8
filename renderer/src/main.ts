import './styles/theme.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { theme } from './lib/theme.svelte.js';

theme.init();
mount(App, { target: document.getElementById('app')! });
