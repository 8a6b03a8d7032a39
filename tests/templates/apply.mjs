// Apply one of our element templates to a lone service task, as Camunda Modeler would, and
// print the BPMN XML: the tool evaluates the template's conditions for the values given.
//
//   echo '{"template": "s3-connector-upload.json", "values": {"<property id>": "<value>"}}' \
//     | node tests/templates/apply.mjs
import { readFileSync } from 'node:fs';

import { applyWithValues } from './build-examples.mjs';

const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
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

const request = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(await applyWithValues(DIAGRAM, request.template, 'Task_1', request.values || {}));
