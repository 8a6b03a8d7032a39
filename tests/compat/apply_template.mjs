// Apply one of Camunda's official AWS S3 element templates to a service task with
// element-templates-cli (bpmn-js element templates underneath), as Camunda Modeler does.
// The values a modeller would enter are given as the properties' values, so the tool itself
// evaluates conditions and writes the zeebe:input / zeebe:taskHeader / zeebe:taskDefinition.
//
// stdin: {"version": 8, "values": {"<property id>": "<value>", ...}}
// stdout: the BPMN XML with the template applied to Task_1.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

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

const diagram = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1" isExecutable="true">
    <bpmn:serviceTask id="Task_1" name="S3" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1">
      <bpmndi:BPMNShape id="Task_1_di" bpmnElement="Task_1">
        <dc:Bounds x="100" y="100" width="100" height="80" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

process.stdout.write(await applyTemplate(diagram, JSON.stringify(template), 'Task_1'));
