/** Entry of the self-service portal (/portal). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setSessionKind } from '../shared/api.js';
import '../shared/styles.css';
import { App } from './App.js';

setSessionKind('portal');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
