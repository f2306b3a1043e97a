// Calls every operation of the spec on the mock through openapi-generator's typescript-fetch client, as a
// TypeScript team would: typed requests, no cast, no `any`. Prints the operationIds it called, as JSON.
// Usage: node out/calls.js BASE_URL (the mock, or a recording proxy in front of it).
import {
  AuthApi,
  Configuration,
  CustomApiNodeApi,
  OutboundTasksApi,
  ResponseError,
  WabaApi,
  WorkflowsApi,
} from "./client";

interface MockNode {
  workflow_id: string;
  node_type: string;
  nodetask_id: string;
  task_id: string;
}

async function main(base: string): Promise<string[]> {
  const called: string[] = [];
  const auth = new AuthApi(new Configuration({ basePath: base }));
  const issued = await auth.getToken({ tokenRequest: { aPPKey: "mock-app-key", aPPSecret: "mock-app-secret" } });
  called.push("get_token");
  const token = issued.data?.token;
  if (!token) throw new Error("no token issued");
  const config = new Configuration({ basePath: base, apiKey: `Token ${token}` });
  const workflows = new WorkflowsApi(config);

  const window = { startTime: "2022-09-27T07:58:31Z", endTime: "2999-12-31T23:59:59Z" };
  const created = await workflows.createWorkflowTask({
    createWorkflowTaskRequest: {
      workflowTemplateId: 4,
      name: "ts-info-check",
      endTime: "2099-12-31 23:59:59+07:00",
      details: [{ callee: "+6281200000101", variables: { case_id: "ts-case-1", amount: 1200 } }],
    },
  });
  called.push("create_workflow_task");
  const workflowId = created.data?.workflowId;
  if (!workflowId) throw new Error("no workflow_id in the answer");

  await workflows.addWorkflowLists({
    addWorkflowListsRequest: {
      workflowId,
      details: [{ callee: "+6281200000102", variables: { case_id: "ts-case-2" } }],
    },
  });
  called.push("add_workflow_lists");

  const page = await workflows.listWorkflowTasks({ page: 1, size: 10, ...window });
  called.push("list_workflow_tasks");
  if (!page.data?.lists?.some((task) => task.workflowId === workflowId)) throw new Error("new task not listed");

  const found = await workflows.queryWorkflowIds({
    queryWorkflowIdsRequest: { caseId: "ts-case-1", ...window },
  });
  called.push("query_workflow_ids");
  if (found.code !== 200) throw new Error(`query_workflow_ids: code ${found.code}`);

  const details = await new OutboundTasksApi(config).getOutboundTaskDetails({
    outboundTaskDetailsRequest: { workflowId, page: 1, size: 20 },
  });
  called.push("get_outbound_task_details");
  if (details.code !== 200) throw new Error(`get_outbound_task_details: code ${details.code}`);

  // the mock's own admin API (not AIRudder's) tells the ids of the nodes the new tasks got
  const waba = await workflows.createWorkflowTask({
    createWorkflowTaskRequest: { workflowTemplateId: 2, name: "ts-waba", endTime: "2099-12-31 23:59:59+07:00" },
  });
  const state = (await (await fetch(`${base}/_mock/state`)).json()) as { nodes: MockNode[] };
  const apiNode = state.nodes.find((n) => n.workflow_id === workflowId && n.node_type === "api");
  const wabaNode = state.nodes.find((n) => n.workflow_id === waba.data?.workflowId && n.node_type === "waba");
  if (!apiNode || !wabaNode) throw new Error("the mock's state shows no api or waba node");

  await new CustomApiNodeApi(config).verifyCustomApiNodeDataPush({
    verifyCustomApiNodeDataPushRequest: { workflowId, nodeId: apiNode.nodetask_id, callee: "+6281200000101" },
  });
  called.push("verify_custom_api_node_data_push");

  const recipients = await new WabaApi(config).getWabaTaskDetails({
    workflowId: wabaNode.workflow_id,
    taskId: wabaNode.task_id,
  });
  called.push("get_waba_task_details");
  if (recipients.code !== 200) throw new Error(`get_waba_task_details: code ${recipients.code}`);
  return called.sort();
}

main(process.argv[2]).then(
  (called) => console.log(JSON.stringify(called)),
  async (error: unknown) => {
    console.error(String(error), error instanceof ResponseError ? await error.response.text() : "");
    process.exit(1);
  },
);
