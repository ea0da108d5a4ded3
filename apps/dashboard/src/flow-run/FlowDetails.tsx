import { useQuery } from '@apollo/client/react';
import { FlowByIdDocument, type JsonValue } from '@runview/documents';
import { Link } from 'react-router-dom';
import { Labels } from '../components/JsonView';
import { ErrorNotice, Loading } from '../components/Notices';
import { formatTimestamp } from '../format';

/** The `type` of a serialized storage or run config, the way Prefect's FlowView names it. */
function typeOf(value: JsonValue | null): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value['type'] === 'string') return value['type'];
  return value === null ? 'None' : 'Unknown';
}

/** The metadata Prefect stored about the flow at registration, as FlowView reads it. */
export function FlowDetails({ flowId }: { readonly flowId: string }) {
  const { data, error, refetch } = useQuery(FlowByIdDocument, { variables: { id: flowId } });
  let body;
  if (!data) {
    body = error ? <ErrorNotice error={error} what="the flow" onRetry={() => void refetch()} /> : <Loading what="the flow" />;
  } else if (data.flow_by_pk === null) {
    body = <p className="muted">The flow of this run ({flowId}) is no longer registered.</p>;
  } else {
    const flow = data.flow_by_pk;
    body = (
      <dl className="facts facts--stacked">
        <div>
          <dt>Flow</dt>
          <dd>
            <Link to={`/runs?flow=${encodeURIComponent(flow.flow_group_id)}`} title="All runs of this flow">
              {flow.name}
            </Link>
            {flow.archived && <span className="tag">archived</span>}
          </dd>
        </div>
        <div>
          <dt>Project</dt>
          <dd>{flow.project.name}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{flow.version ?? '—'}</dd>
        </div>
        <div>
          <dt>Storage</dt>
          <dd>{typeOf(flow.storage)}</dd>
        </div>
        <div>
          <dt>Run config</dt>
          <dd>{typeOf(flow.run_config)}</dd>
        </div>
        <div>
          <dt>Prefect Core</dt>
          <dd>{flow.core_version ?? '—'}</dd>
        </div>
        <div>
          <dt>Registered</dt>
          <dd>{formatTimestamp(flow.created)}</dd>
        </div>
        <div>
          <dt>Flow labels</dt>
          <dd>
            <Labels labels={flow.flow_group.labels} />
          </dd>
        </div>
        <div>
          <dt>Flow id</dt>
          <dd className="mono">{flow.id}</dd>
        </div>
      </dl>
    );
  }
  return (
    <section className="card" aria-labelledby="flow-title">
      <header className="card__header">
        <h2 id="flow-title">Flow</h2>
      </header>
      {body}
    </section>
  );
}
