// Prints GitLab's CI JSON schema (app/assets/javascripts/editor/schema/ci.json),
// which gitlab-ci-local bundles as an object literal in dist/index.js.
const fs = require('fs');
const src = fs.readFileSync(process.argv[2], 'utf8');
const start = src.indexOf('{$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml"');
if (start < 0) { console.error('schema not found'); process.exit(1); }
let depth = 0, i = start, q = null;
for (; i < src.length; i++) {
  const c = src[i];
  if (q) { if (c === '\\') { i++; continue; } if (c === q) q = null; continue; }
  if (c === '"' || c === "'" || c === '`') { q = c; continue; }
  if (c === '{') depth++;
  else if (c === '}' && --depth === 0) break;
}
const obj = (0, eval)('(' + src.slice(start, i + 1) + ')');
process.stdout.write(JSON.stringify(obj));
