// Runtime settings of the dashboard. A deployment may replace this file to point one build at
// another API without rebuilding, e.g.
//   window.__RUNVIEW__ = { apiUrl: 'https://prefect.example.com/graphql', apiKey: '...' };
// Left empty, the values given at build time (VITE_RUNVIEW_API_URL, VITE_RUNVIEW_API_KEY) apply.
