// First: the contract's schemas must be built without zod's eval probe (see the module).
import './lib/zod-without-eval.js';
import { mount } from 'svelte';
import App from './App.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
