import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { createApolloClient, createRunviewClient } from './apollo';
import { App } from './App';
import { resolveConfig } from './config';
import { DashboardContext } from './context';
import './styles.css';

const config = resolveConfig(window.__RUNVIEW__, import.meta.env);
const client = createApolloClient(config);
const dashboard = { config, runview: createRunviewClient(config) };
const root = document.getElementById('root');
if (root === null) throw new TypeError('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <DashboardContext.Provider value={dashboard}>
      <ApolloProvider client={client}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </ApolloProvider>
    </DashboardContext.Provider>
  </StrictMode>,
);
