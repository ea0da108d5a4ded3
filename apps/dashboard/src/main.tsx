import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { createApolloClient } from './apollo';
import { App } from './App';
import { resolveConfig } from './config';
import { ConfigContext } from './context';
import './styles.css';

const config = resolveConfig(window.__RUNVIEW__, import.meta.env);
const client = createApolloClient(config);
const root = document.getElementById('root');
if (root === null) throw new TypeError('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ConfigContext.Provider value={config}>
      <ApolloProvider client={client}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </ApolloProvider>
    </ConfigContext.Provider>
  </StrictMode>,
);
