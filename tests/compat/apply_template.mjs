// Apply one of Camunda's official AWS S3 element templates to a service task with
// element-templates-cli (bpmn-js element templates underneath), as Camunda Modeler does.
// The values a modeller would enter are given as the properties' values, so the tool itself
// evaluates conditions and writes the zeebe:input / zeebe:taskHeader / zeebe:taskDefinition.
//
// stdin: {"version": 8, "values": {"<property id>": "<value>", ...}}
// stdout: the BPMN XML with the template applied to Task_1.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

import { LONE_TASK_DIAGRAM } from '../templates/lone-task.mjs';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const templatesPath = require.resolve(
  '@camunda/connectors-element-templates/src/element-templates/aws-s3-outbound-connector.json'
);
const { applyTemplate } = await import(require.resolve('element-templates-cli/dist/index.js'));

const request = JSON.parse(readFileSync(0, 'utf8'));
const template = JSON.parse(readFileSync(templatesPath, 'utf8')).find(t => t.version === request.version);
if (!template) {
  console.error(`no official template with version ${request.version}`);
  process.exit(2);
}
for (const property of template.properties) {
  if (property.id in request.values) {
    property.value = request.values[property.id];
  }
}
template.properties = resolveIsEmpty(template.properties, request.values);

// element-templates-cli 0.5 predates `isEmpty` conditions (templates v6+ use them on the
// `awsCredential` chooser) and drops both branches. They are settled here, from the same
// values: a satisfied isEmpty condition is removed, an unsatisfied one removes its property.
function resolveIsEmpty(properties, values) {
  const empty = (id) => values[id] === undefined || values[id] === '';
  const holds = (c) => !('isEmpty' in c) || c.isEmpty === empty(c.property);
  const strip = (c) => (c && 'isEmpty' in c ? undefined : c);
  return properties.flatMap((property) => {
    const condition = property.condition;
    if (!condition) return [property];
    const parts = condition.allMatch || [condition];
    if (!parts.every(holds)) return [];
    const rest = parts.map(strip).filter(Boolean);
    const resolved = { ...property };
    if (rest.length === 0) delete resolved.condition;
    else resolved.condition = condition.allMatch ? { allMatch: rest } : rest[0];
    return [resolved];
  });
}


process.stdout.write(await applyTemplate(LONE_TASK_DIAGRAM, JSON.stringify(template), 'Task_1'));
