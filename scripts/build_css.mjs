// Only the Bootstrap CSS the site uses: Bootstrap's stylesheet from npm, less every rule whose
// selectors name no class, id or element found in the templates, the crispy-forms templates and
// the Python that writes markup. Writes static/css/bootstrap.min.css (committed, so a laptop
// without npm still serves the site). Run by `make css`; tests/test_css.py checks the result.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PurgeCSS } from "purgecss";

const require = createRequire(import.meta.url);
const source = require.resolve("bootstrap/dist/css/bootstrap.min.css");
const version = require("bootstrap/package.json").version;
const output = process.argv[2] || "static/css/bootstrap.min.css";

const crispy = readdirSync(".venv/lib", { withFileTypes: true })
  .map((entry) => `.venv/lib/${entry.name}/site-packages/crispy_bootstrap5/templates`)
  .find((folder) => existsSync(folder));
if (!crispy) throw new Error("crispy_bootstrap5's templates not found: run `make .venv/bin/.installed` first");
const content = [
  "templates/**/*.html",
  "*/templates/**/*.html",
  "{baliwg,meetings,workplan,core}/**/*.py",
  `${crispy}/**/*.html`,
];

const [result] = await new PurgeCSS().purge({
  css: [source],
  content,
  // Words a template builds from a variable: alert-{{ message.tags }} (Django's message levels).
  safelist: ["alert-danger", "alert-info", "alert-success", "alert-warning", "alert-debug"],
  // Bootstrap's custom properties are read by the rules that stay; keep all of them.
  variables: false,
  keyframes: true,
  fontFace: true,
});
const header = `/* Bootstrap v${version}: only the rules this site's templates use (scripts/build_css.mjs) */\n`;
const css = header + result.css.replace(/\/\*# sourceMappingURL=.*?\*\//g, "") + "\n";
writeFileSync(output, css);
console.error(`${output}: ${css.length} bytes (Bootstrap's whole stylesheet: ${readFileSync(source).length})`);
