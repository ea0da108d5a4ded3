import { createHash } from 'node:crypto';

/**
 * A stable uuid for a demo row that has no id of its own in the documentation (a state
 * history row, a mapped child, a log line), derived from a name, so every seeded database
 * holds the same ids.
 */
export function demoId(name: string): string {
  const hex = createHash('sha1').update(`runview-demo:${name}`).digest('hex');
  // Shaped as a name-based (version 5) uuid with the RFC 4122 variant.
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The ids of the demo data (`--seed demo`), for tests and documentation. The reference run,
 * its flow, tasks and task runs and the `woodoo-leopard` run carry the ids of Prefect's
 * "Inspecting flow runs" documentation, so its examples work verbatim.
 */
export const DEMO = {
  projectId: '48cbcbc5-effc-4b1c-ab33-5792a82805a3',
  projectName: 'default',
  /** `hello-world`: three independent `say_hello` tasks, Module storage. */
  helloWorld: {
    flowGroupId: '4b5f323f-a95a-49f5-8e74-36a6028d9c26',
    flowId: '8bdcf5b5-7598-49d1-a885-61612ca550de',
    name: 'hello-world',
    taskIds: {
      'say_hello-1': '34b0dd2d-582e-4f0a-923d-63daf1e38fe5',
      'say_hello-2': '294a634d-ea60-4345-bb40-a57aeef853ed',
      'say_hello-3': 'e82e86b8-3625-41de-b92f-eca70831cea5',
    },
  },
  /** `etl`: extract, a mapped transform and load; the simulator runs this flow. */
  etl: {
    flowGroupId: '6595fc69-6acb-48a7-a246-4b8607c71caa',
    flowId: 'df268d49-2277-43a8-9475-95437512ca8e',
    name: 'etl',
    taskIds: {
      'extract-1': 'd8fd9688-5df6-4f29-88d3-a2a9631417dd',
      'transform-1': '44562dde-ddb0-4cac-b4c5-598aeb5369c8',
      'load-1': 'f7af2faa-d0c9-4e06-b3f5-1dc2eb50592e',
    },
  },
  flowRuns: {
    /** The documentation's reference run: Success, "All reference tasks succeeded.", six logs. */
    reference: '4c0101af-c6bb-4b96-8661-63a5bbfb5596',
    /** Found by name in the documentation's GraphQL example. */
    woodooLeopard: '8e445d74-9ca6-425b-98e5-72754b7ea174',
    /** Failed: extract raised, its downstream tasks TriggerFailed, with an ERROR log. */
    failed: '3ace8c77-a520-44f0-bdb6-d6c087863831',
    /** Still Running: some mapped children running, some pending. */
    running: '4ad9f958-4266-41ad-9064-c56655f6eb89',
    /** A mapped transform with 50 children (map_index 0..49), three of them Failed. */
    mapped: 'f169eb3a-5a85-44de-8622-e2c40a967a20',
    /** 5,000 log lines. */
    chatty: '65d4c2fd-f6b5-4dc5-a8ae-febdb798009a',
  },
  /** The reference run's task runs, by task slug. */
  taskRuns: {
    'say_hello-1': 'c8751f34-9d5e-4ea7-aead-8b50978dabb7',
    'say_hello-2': 'f5f422f6-4f56-45d2-bd55-5ea048070d84',
    'say_hello-3': '7cc167d3-737d-4187-85d8-d5e5a75fbd93',
  },
  /** The mapped run's parent task run (state Mapped, `n_map_states: 50`). */
  mappedParentTaskRun: 'ce7c5496-a1e8-4ad1-b567-50700a8b6566',
  /** The failed run's task run that raised. */
  failedTaskRun: '68f0c7c6-c044-451a-ae49-1ca336748ac3',
  agents: {
    local: 'f926b0ac-51ab-49f2-8b28-9d788ff19950',
    kubernetes: 'e6bfe47a-040a-4f6d-8aeb-e93da75760d7',
  },
  /** Number of log lines of the chatty run. */
  chattyLogCount: 5000,
  /** Number of mapped children of the mapped run. */
  mappedChildren: 50,
} as const;
