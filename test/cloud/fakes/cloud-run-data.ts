/** Test-data builders: Cloud Run v2 resources as proto3 JSON, the shape the real REST API returns. */

/** A ready service whose traffic is split 90/10 between the latest revision and a tagged older one. */
export function testService(name: string): {name: string} & Record<string, unknown> {
  const id = name.slice(name.lastIndexOf('/') + 1)
  return {
    name,
    uid: 'b4c3e0c2-0000-4000-8000-000000000001',
    uri: `https://${id}-abc123-uc.a.run.app`,
    generation: '43',
    updateTime: '2024-05-01T12:00:00Z',
    template: {
      scaling: {minInstanceCount: 0, maxInstanceCount: 3},
      containers: [{image: 'us-central1-docker.pkg.dev/sourcegraph-dev/cody-analytics/service:template'}],
    },
    traffic: [{type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 90}],
    trafficStatuses: [
      {type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 90},
      {type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: `${id}-00041-xyz`, percent: 10, tag: 'canary'},
    ],
    terminalCondition: {type: 'Ready', state: 'CONDITION_SUCCEEDED', lastTransitionTime: '2024-05-01T12:00:00Z'},
    conditions: [{type: 'RoutesReady', state: 'CONDITION_SUCCEEDED'}],
    latestReadyRevision: `${name}/revisions/${id}-00042-abc`,
    latestCreatedRevision: `${name}/revisions/${id}-00043-def`,
  }
}

/** A revision with one container and explicit scaling. */
export function testRevision(name: string): {name: string} & Record<string, unknown> {
  return {
    name,
    scaling: {minInstanceCount: 1, maxInstanceCount: 5},
    containers: [{image: 'us-central1-docker.pkg.dev/sourcegraph-dev/cody-analytics/service:insiders'}],
    createTime: '2024-05-01T11:58:00Z',
  }
}

/** A ready job. */
export function testJob(name: string): {name: string} & Record<string, unknown> {
  return {
    name,
    updateTime: '2024-05-01T12:00:00Z',
    terminalCondition: {type: 'Ready', state: 'CONDITION_SUCCEEDED'},
    template: {template: {containers: [{image: 'us-central1-docker.pkg.dev/sourcegraph-dev/cody-analytics/job:insiders'}]}},
    executionCount: 3,
  }
}
