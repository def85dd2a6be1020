// bench/compare/elasticlunr_size.js: the size of one elasticlunr index over a built lectern site.
// usage: (cd bench/compare && npm ci) && node bench/compare/elasticlunr_size.js SITE
// One elasticlunr index (as mdBook builds with elasticlunr-rs: title + body fields) over the
// words of every lesson page's <main>, tables, derivations, snippets and code left out as in
// lectern's index; prints the size of the serialized index, raw and gzipped.
const fs = require('fs'); const path = require('path'); const zlib = require('zlib');
const elasticlunr = require('elasticlunr');
const site = process.argv[2];
const idx = elasticlunr(function () { this.addField('title'); this.addField('body'); this.setRef('id'); this.saveDocument(false); });
let n = 0, words = 0;
for (const dir of fs.readdirSync(site)) {
  const d = path.join(site, dir);
  if (dir === 'assets' || !fs.statSync(d).isDirectory()) continue;
  for (const f of fs.readdirSync(d)) {
    if (!f.endsWith('.html')) continue;
    let h = fs.readFileSync(path.join(d, f), 'utf8');
    h = h.slice(h.indexOf('<main'), h.lastIndexOf('</main>'));
    h = h.replace(/<table class="matrix[\s\S]*?<\/table>/g, ' ').replace(/<details class="(derivations|reproduce)[\s\S]*?<\/details>/g, ' ')
         .replace(/<(pre|math|nav|form|script)[\s\S]*?<\/\1>/g, ' ');
    const title = (h.match(/<h1[^>]*>([\s\S]*?)<\/h1>/) || ['', ''])[1].replace(/<[^>]+>/g, '');
    const body = h.replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/g, ' ').replace(/\s+/g, ' ');
    words += body.split(' ').length;
    idx.addDoc({ id: dir + '/' + f, title, body });
    n++;
  }
}
const json = JSON.stringify(idx.toJSON());
console.log(`${n} pages, ${words} words: one index of ${(json.length / 1e6).toFixed(1)} MB raw, ${(zlib.gzipSync(json).length / 1e6).toFixed(1)} MB gzipped`);
