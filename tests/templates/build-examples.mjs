// Build examples/*.bpmn: each process diagram is written here, and our element templates are
// applied to its S3 tasks with element-templates-cli (bpmn-js element templates, the same code
// as Camunda Modeler). The values a modeller would enter are set as the template properties'
// values before applying, so the tool itself evaluates the conditions and writes the
// zeebe:input / zeebe:taskHeader / zeebe:property elements in template order.
//
//   node tests/templates/build-examples.mjs          write examples/*.bpmn
//   node tests/templates/build-examples.mjs --check  exit 1 if an example is out of date
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { TEMPLATE_DIR } from './build-templates.mjs';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const { applyTemplate } = await import(require.resolve('element-templates-cli/dist/index.js'));

const EXAMPLES_DIR = new URL('../../examples/', import.meta.url);

const CREDENTIALS = {
  'authentication.accessKey': '{{secrets.AWS_ACCESS_KEY}}',
  'authentication.secretKey': '{{secrets.AWS_SECRET_KEY}}',
  'configuration.region': 'eu-central-1',
  'action.bucket': 'my-bucket'
};

// `xsi` only where a diagram has typed elements (condition expressions), so the others stay as they are.
const XSI = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
// The credentials and region alone, for templates whose bucket is given otherwise.
const { 'action.bucket': _bucket, ...SIGNING } = CREDENTIALS;

const definitions = (id, body, shapes, namespaces = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0"${namespaces} id="Definitions_${id}" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.7.0">
${body}
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${id}">
${shapes}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;

const shape = (element, x, y, w, h, label = '') =>
  `      <bpmndi:BPMNShape id="${element}_di" bpmnElement="${element}">
        <dc:Bounds x="${x}" y="${y}" width="${w}" height="${h}" />${label}
      </bpmndi:BPMNShape>`;
// Events carry their label's bounds below them, as Camunda Modeler writes them (and so that
// the headless modeler behind element-templates-cli need not measure text).
const event = (element, x, y, labelX = x + 18 - 42) => shape(element, x, y, 36, 36, `
        <bpmndi:BPMNLabel>
          <dc:Bounds x="${labelX}" y="${y + 43}" width="84" height="14" />
        </bpmndi:BPMNLabel>`);
const task = (element, x, y) => shape(element, x, y, 100, 80);
const edge = (element, points) =>
  `      <bpmndi:BPMNEdge id="${element}_di" bpmnElement="${element}">
${points.map(([x, y]) => `        <di:waypoint x="${x}" y="${y}" />`).join('\n')}
      </bpmndi:BPMNEdge>`;

const gateway = (element, x, y, labelX = x - 17) => shape(element, x, y, 50, 50, `
        <bpmndi:BPMNLabel>
          <dc:Bounds x="${labelX}" y="${y - 20}" width="84" height="14" />
        </bpmndi:BPMNLabel>`).replace('bpmnElement="' + element + '">', 'bpmnElement="' + element + '" isMarkerVisible="true">');

const EXAMPLES = {
  'upload.bpmn': {
    diagram: definitions('upload-invoice', `  <bpmn:process id="upload-invoice" name="Archive an invoice in S3" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Invoice received">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:serviceTask id="UploadInvoice" name="Upload invoice PDF">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:serviceTask id="UploadSummary" name="Upload invoice summary">
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="EndEvent_1" name="Invoice archived">
      <bpmn:incoming>Flow_3</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="UploadInvoice" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="UploadInvoice" targetRef="UploadSummary" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="UploadSummary" targetRef="EndEvent_1" />
  </bpmn:process>`, [
      event('StartEvent_1', 152, 102),
      task('UploadInvoice', 240, 80),
      task('UploadSummary', 400, 80),
      event('EndEvent_1', 562, 102),
      edge('Flow_1', [[188, 120], [240, 120]]),
      edge('Flow_2', [[340, 120], [400, 120]]),
      edge('Flow_3', [[500, 120], [562, 120]])
    ].join('\n')),
    tasks: [
      {
        element: 'UploadInvoice',
        template: 's3-connector-upload.json',
        values: {
          ...CREDENTIALS,
          'action.key': '="invoices/" + invoiceId + ".pdf"',
          'action.documentReference': '=invoice',
          'action.metadata': '={"invoice-id": invoiceId}',
          'action.tags': '={"department": "finance"}',
          'action.storageClass': 'STANDARD_IA',
          'action.serverSideEncryption': 'AES256',
          'action.createOnly': true,
          'action.presignedLinkExpiry': 'PT1H',
          resultVariable: 'invoiceUpload',
          resultExpression: '={invoiceLink: presignedLink}'
        }
      },
      {
        element: 'UploadSummary',
        template: 's3-connector-upload.json',
        values: {
          ...CREDENTIALS,
          'action.key': '="invoices/" + invoiceId + ".json"',
          documentSource: 'inline',
          'action.inlineContent': '={"invoiceId": invoiceId, "pdf": invoiceUpload.key, "size": invoiceUpload.size}',
          'action.inlineFileName': 'summary.json',
          'action.inlineContentType': 'application/json',
          resultVariable: 'summaryUpload'
        }
      }
    ]
  },
  'archive-folder.bpmn': {
    diagram: definitions('archive-folder', `  <bpmn:process id="archive-folder" name="Archive every file of a folder" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Archiving due">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:exclusiveGateway id="NextPage">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:incoming>Flow_5</bpmn:incoming>
      <bpmn:outgoing>Flow_6</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:serviceTask id="ListFiles" name="List a page of incoming files">
      <bpmn:incoming>Flow_6</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:serviceTask id="ArchiveFile" name="Copy each file to the archive">
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements>
          <zeebe:loopCharacteristics inputCollection="=listing.objects[not(ends with(item.key, &#34;/&#34;))]" inputElement="file" outputCollection="archived" outputElement="=file.key" />
        </bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
    <bpmn:exclusiveGateway id="MorePages" name="More pages?" default="Flow_4">
      <bpmn:incoming>Flow_3</bpmn:incoming>
      <bpmn:outgoing>Flow_4</bpmn:outgoing>
      <bpmn:outgoing>Flow_5</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:endEvent id="EndEvent_1" name="Folder archived">
      <bpmn:incoming>Flow_4</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="NextPage" />
    <bpmn:sequenceFlow id="Flow_6" sourceRef="NextPage" targetRef="ListFiles" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="ListFiles" targetRef="ArchiveFile" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="ArchiveFile" targetRef="MorePages" />
    <bpmn:sequenceFlow id="Flow_4" name="no" sourceRef="MorePages" targetRef="EndEvent_1" />
    <bpmn:sequenceFlow id="Flow_5" name="yes" sourceRef="MorePages" targetRef="NextPage">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=listing.truncated</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>`, [
      event('StartEvent_1', 152, 102),
      shape('NextPage', 225, 95, 50, 50).replace('bpmnElement="NextPage">', 'bpmnElement="NextPage" isMarkerVisible="true">'),
      task('ListFiles', 310, 80),
      task('ArchiveFile', 470, 80),
      gateway('MorePages', 625, 95),
      event('EndEvent_1', 732, 102),
      edge('Flow_1', [[188, 120], [225, 120]]),
      edge('Flow_6', [[275, 120], [310, 120]]),
      edge('Flow_2', [[410, 120], [470, 120]]),
      edge('Flow_3', [[570, 120], [625, 120]]),
      edge('Flow_4', [[675, 120], [732, 120]]),
      edge('Flow_5', [[650, 145], [650, 220], [250, 220], [250, 145]])
    ].join('\n'), XSI),
    tasks: [
      {
        element: 'ListFiles',
        template: 's3-connector-list.json',
        values: {
          ...CREDENTIALS,
          'action.prefix': 'incoming/',
          'action.delimiter': '/',
          // A page of 100 at a time: at most 100 copies run at once.
          'action.maxKeys': 100,
          'action.continuationToken': '=listing.continuationToken',
          resultVariable: 'listing'
        }
      },
      {
        element: 'ArchiveFile',
        template: 's3-connector-copy.json',
        values: {
          ...SIGNING,
          sourceAddressing: 'uri',
          'action.sourceUri': '=file.uri',
          targetAddressing: 'template',
          'action.target.keyTemplate': 'archive/{year}/{month}/{file_name}',
          'action.storageClass': 'STANDARD_IA'
        }
      }
    ]
  },
  'download-as-document.bpmn': {
    diagram: definitions('download-report', `  <bpmn:process id="download-report" name="Fetch a report from S3 as a document" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Report requested">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:serviceTask id="DownloadReport" name="Download report">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="EndEvent_1" name="Report available">
      <bpmn:incoming>Flow_2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="DownloadReport" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="DownloadReport" targetRef="EndEvent_1" />
  </bpmn:process>`, [
      event('StartEvent_1', 152, 102),
      task('DownloadReport', 240, 80),
      event('EndEvent_1', 402, 102),
      edge('Flow_1', [[188, 120], [240, 120]]),
      edge('Flow_2', [[340, 120], [402, 120]])
    ].join('\n')),
    tasks: [
      {
        element: 'DownloadReport',
        template: 's3-connector-download.json',
        values: {
          ...CREDENTIALS,
          'action.key': '="reports/" + reportId + ".pdf"',
          'documentReturnFormat.choice': 'DOCUMENT',
          'action.documentTimeToLive': 'P7D',
          'action.documentCustomProperties': '={"reportId": reportId}',
          'action.documentLinkTimeToLive': 'PT1H',
          resultExpression: '={report: element.document, reportLink: documentLink.url}'
        }
      }
    ]
  },
  'error-handling.bpmn': {
    diagram: definitions('read-settings', `  <bpmn:process id="read-settings" name="Read settings from S3, with a fallback" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Settings needed">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:serviceTask id="ReadSettings" name="Read settings object">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="ObjectNotFound" name="Object not found" attachedToRef="ReadSettings">
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
      <bpmn:errorEventDefinition id="ErrorEventDefinition_1" errorRef="Error_NotFound" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="EndEvent_1" name="Settings read">
      <bpmn:incoming>Flow_2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:scriptTask id="HandleMissingObject" name="Handle missing object: use default settings">
      <bpmn:extensionElements>
        <zeebe:script expression="={&#34;theme&#34;: &#34;default&#34;, &#34;source&#34;: &#34;fallback&#34;}" resultVariable="settings" />
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_3</bpmn:incoming>
      <bpmn:outgoing>Flow_4</bpmn:outgoing>
    </bpmn:scriptTask>
    <bpmn:endEvent id="EndEvent_2" name="Defaults used">
      <bpmn:incoming>Flow_4</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="ReadSettings" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="ReadSettings" targetRef="EndEvent_1" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="ObjectNotFound" targetRef="HandleMissingObject" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="HandleMissingObject" targetRef="EndEvent_2" />
  </bpmn:process>
  <bpmn:error id="Error_NotFound" name="Object not found" errorCode="NOT_FOUND" />`, [
      event('StartEvent_1', 152, 102),
      task('ReadSettings', 240, 80),
      event('EndEvent_1', 402, 102),
      task('HandleMissingObject', 320, 200),
      event('EndEvent_2', 482, 222),
      event('ObjectNotFound', 272, 142, 196),
      edge('Flow_1', [[188, 120], [240, 120]]),
      edge('Flow_2', [[340, 120], [402, 120]]),
      edge('Flow_3', [[290, 178], [290, 240], [320, 240]]),
      edge('Flow_4', [[420, 240], [482, 240]])
    ].join('\n')),
    tasks: [
      {
        element: 'ReadSettings',
        template: 's3-connector-download.json',
        values: {
          ...CREDENTIALS,
          'action.key': '="settings/" + tenantId + ".json"',
          'documentReturnFormat.choice': 'JSON',
          resultExpression: '={settings: element.content}',
          errorExpression: '=if error.code = "NoSuchKey" then bpmnError("NOT_FOUND", error.message) else null'
        }
      }
    ]
  }
};

// Headless, bpmn-js cannot measure label text ("document is not defined") and logs each named
// event as not imported. Only the canvas misses them: the XML keeps every element and label.
async function quietly(run) {
  const { error, warn } = console;
  const harmless = (args) => /failed to import|document is not defined/.test(args.map(String).join(' '));
  console.error = (...args) => harmless(args) || error(...args);
  console.warn = (...args) => harmless(args) || warn(...args);
  try {
    return await run();
  } finally {
    Object.assign(console, { error, warn });
  }
}

// Apply element-templates/<file> to <element> of a diagram, with `values` (by property id)
// entered as a modeller would.
export async function applyWithValues(xml, file, element, values) {
  const template = JSON.parse(readFileSync(new URL(file, TEMPLATE_DIR), 'utf8'));
  const known = new Set(template.properties.map((p) => p.id));
  for (const id of Object.keys(values)) {
    if (!known.has(id)) throw new Error(`${element}: ${file} has no property ${id}`);
  }
  for (const property of template.properties) {
    if (property.id in values) property.value = values[property.id];
  }
  return quietly(() => applyTemplate(xml, JSON.stringify(template), element));
}

export async function buildExample(name) {
  const example = EXAMPLES[name];
  let xml = example.diagram;
  for (const { element, template: file, values } of example.tasks) {
    xml = await applyWithValues(xml, file, element, values);
  }
  return xml.endsWith('\n') ? xml : xml + '\n';
}

export const EXAMPLE_NAMES = Object.keys(EXAMPLES);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const name of EXAMPLE_NAMES) {
    const xml = await buildExample(name);
    const url = new URL(name, EXAMPLES_DIR);
    if (!check) {
      writeFileSync(url, xml);
      console.log(`wrote examples/${name}`);
      continue;
    }
    let current = null;
    try {
      current = readFileSync(url, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current !== xml) {
      console.error(`examples/${name} is not what tests/templates/build-examples.mjs builds`);
      stale++;
    }
  }
  process.exit(stale ? 1 : 0);
}
