// The transformers.js peer of the side-by-side throughput harness (see ../../README.md, "Side-by-side harness").
//
//   node bench.mjs check WORK OUT.json   equivalence check against the library's embeddings; exits 1 on failure
//   node bench.mjs time  WORK OUT.json [input8]   one timed pass over every text, in the library's batches, or
//                                                  with input8 in batches of 8 consecutive texts (how a
//                                                  JavaScript user batches without a length-sorting policy)
//   node bench.mjs classify WORK OUT.json         the whole-process mode (run.sh --processes): classify every text
//                                                  in batches of 8 in input order, no warm-up, and write each text's
//                                                  top value ({"texts": n, "top": [class index, ...]}); the caller
//                                                  times the whole process
//
// WORK is the folder the Java side (org.valueimprint.benchmarks.harness.Harness) wrote: hf/ (config.json,
// tokenizer.json, tokenizer_config.json, onnx/model.onnx), texts.json, batches.json, head.json, reference.json.
// classify reads only texts.json, head.json and hf/. Nothing is downloaded: env.allowRemoteModels = false, the model
// is read from WORK/hf.
//
// Timed work per batch: tokenise the batch's texts (padding to the batch's longest, truncation at max_length),
// put [SEP] back at the end of truncated sequences (transformers.js 4.3.1 truncates after adding the special tokens,
// so it drops the final [SEP]; the library keeps it, as Python tokenizers do), run the model, mean-pool over the
// attention mask, L2-normalise, and apply the head (an MLP: h = relu(W1 x + b1), z = W2 h + b2; a linear head:
// z = W2 x + b2; then softmax(z / T)).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { env, AutoTokenizer, AutoModel, mean_pooling } from '@huggingface/transformers';

const require = createRequire(import.meta.url);
const [mode, work, out, batching = 'library'] = process.argv.slice(2);
if (!['check', 'time', 'classify'].includes(mode) || !work || !out || !['library', 'input8'].includes(batching)) {
  console.error('usage: node bench.mjs check|time|classify WORK OUT.json [library|input8]');
  process.exit(2);
}

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = work + path.sep;

const read = (name) => JSON.parse(fs.readFileSync(path.join(work, name), 'utf8'));
const texts = read('texts.json');
const plan = mode === 'classify' ? null : read('batches.json');
const head = read('head.json');
const maxLength = plan ? plan.max_length : read(path.join('hf', 'tokenizer_config.json')).model_max_length;

const tokenizer = await AutoTokenizer.from_pretrained('hf');
const model = await AutoModel.from_pretrained('hf', { dtype: 'fp32', device: 'cpu' });
const sepId = BigInt(tokenizer.sep_token_id);

const linear = head.kind === 'SOFTMAX';
const W1 = linear ? null : Float32Array.from(head.w1);
const B1 = linear ? null : Float32Array.from(head.b1);
const W2 = Float32Array.from(head.w2);
const B2 = Float32Array.from(head.b2);
const width = linear ? head.input : head.hidden;
const hidden = new Float64Array(width);

/** The head's probabilities of one embedding (the same maths as HeadJson.probabilities in Java). */
function probabilities(x, offset) {
  const d = head.input;
  if (linear) {
    for (let j = 0; j < d; j++) hidden[j] = x[offset + j];
  } else {
    for (let u = 0; u < head.hidden; u++) {
      let s = B1[u];
      const row = u * d;
      for (let j = 0; j < d; j++) s += W1[row + j] * x[offset + j];
      hidden[u] = s > 0 ? s : 0;
    }
  }
  const z = new Float64Array(head.classes);
  let max = -Infinity;
  for (let c = 0; c < head.classes; c++) {
    let s = B2[c];
    const row = c * width;
    for (let u = 0; u < width; u++) s += W2[row + u] * hidden[u];
    z[c] = s / head.temperature;
    if (z[c] > max) max = z[c];
  }
  if (head.multi_label) return z.map((v) => 1 / (1 + Math.exp(-v)));
  let sum = 0;
  for (let c = 0; c < z.length; c++) { z[c] = Math.exp(z[c] - max); sum += z[c]; }
  for (let c = 0; c < z.length; c++) z[c] /= sum;
  return z;
}

/** Puts [SEP] back at the end of each sequence truncated to maxLength. */
function restoreSep(encoded) {
  const [b, length] = encoded.input_ids.dims;
  if (length < maxLength) return;
  const ids = encoded.input_ids.data;
  const mask = encoded.attention_mask.data;
  for (let i = 0; i < b; i++) {
    const last = i * length + length - 1;
    if (mask[last] === 1n && ids[last] !== sepId) ids[last] = sepId;
  }
}

/** One batch: tokenise, run, pool, normalise, head. Returns the embeddings, their width and the probabilities. */
async function classify(batchTexts) {
  const encoded = tokenizer(batchTexts, { padding: true, truncation: true, max_length: maxLength });
  restoreSep(encoded);
  const output = await model(encoded);
  const pooled = mean_pooling(output.last_hidden_state, encoded.attention_mask).normalize(2, -1);
  const [b, d] = pooled.dims;
  const probs = new Array(b);
  for (let i = 0; i < b; i++) probs[i] = probabilities(pooled.data, i * d);
  return { encoded, vectors: pooled.data, d, probs };
}

function cosine(a, aOff, b, d) {
  let dot = 0, na = 0, nb = 0;
  for (let k = 0; k < d; k++) { dot += a[aOff + k] * b[k]; na += a[aOff + k] ** 2; nb += b[k] ** 2; }
  return dot / Math.sqrt(na * nb);
}

function versions() {
  let ortNode = 'unknown';
  try { ortNode = require('onnxruntime-node/package.json').version; } catch { /* keep unknown */ }
  return {
    node: process.version,
    transformers_js: env.version,
    onnxruntime_node: ortNode,
    batching: batching === 'input8' ? 'batches of 8 consecutive texts in input order, padded to the longest'
      : "the library's batches (same texts per batch, padded to the batch's longest)",
  };
}

if (mode === 'check') {
  const ref = read('reference.json');
  const n = ref.embeddings.length;
  let minCosine = 1, maxDiff = 0, tokensEqual = true, restored = 0;
  for (const batch of plan.batches) {
    if (!batch.some((i) => i < n)) continue;
    const { encoded, vectors, d, probs } = await classify(batch.map((i) => texts[i]));
    const length = encoded.input_ids.dims[1];
    for (let j = 0; j < batch.length; j++) {
      const i = batch[j];
      const want = plan.token_ids[i];
      const got = encoded.input_ids.data.slice(j * length, j * length + want.length);
      const pad = encoded.attention_mask.data.slice(j * length + want.length, (j + 1) * length);
      if (want.length === maxLength && want[want.length - 1] === Number(sepId)) restored++;
      if (want.some((v, k) => BigInt(v) !== got[k]) || pad.some((m) => m !== 0n)) {
        tokensEqual = false;
        console.error(`text ${i}: transformers.js token ids differ from the library's`);
      }
      if (i >= n) continue;
      const c = cosine(vectors, j * d, ref.embeddings[i], d);
      minCosine = Math.min(minCosine, c);
      for (let k = 0; k < probs[j].length; k++) maxDiff = Math.max(maxDiff, Math.abs(probs[j][k] - ref.probabilities[i][k]));
    }
  }
  // the head alone: this file's head maths on the library's own embeddings must give the library's probabilities
  let headDiff = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities(Float32Array.from(ref.embeddings[i]), 0);
    for (let k = 0; k < p.length; k++) headDiff = Math.max(headDiff, Math.abs(p[k] - ref.probabilities[i][k]));
  }
  const result = { ...versions(), min_cosine: minCosine, max_probability_diff: maxDiff, head_max_diff: headDiff,
    tokens_equal: tokensEqual, restored_sep: restored, checked_texts: n, needs_min_cosine: ref.min_cosine,
    needs_max_probability_diff: ref.max_probability_diff };
  console.log(`bench.mjs check: ${JSON.stringify(result)}`);
  const probabilitiesOk = ref.max_probability_diff === null || maxDiff <= ref.max_probability_diff;
  if (!tokensEqual || !(minCosine > ref.min_cosine) || !(headDiff <= 1e-5) || !probabilitiesOk) {
    console.error(`bench.mjs: CHECK FAILED: token ids equal: ${tokensEqual}; min cosine ${minCosine} (needs >`
      + ` ${ref.min_cosine}); head on the library's embeddings: max difference ${headDiff} (needs <= 1e-5);`
      + ` pipeline probabilities: max difference ${maxDiff} (needs <= ${ref.max_probability_diff ?? 'no limit'})`);
    process.exit(1);
  }
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
} else if (mode === 'classify') {
  // the whole-process mode: every text once, in batches of 8 in input order; the top value of each
  const top = new Array(texts.length);
  for (let i = 0; i < texts.length; i += 8) {
    const { probs } = await classify(texts.slice(i, i + 8));
    for (let j = 0; j < probs.length; j++) {
      let best = 0;
      for (let c = 1; c < probs[j].length; c++) if (probs[j][c] > probs[j][best]) best = c;
      top[i + j] = best;
    }
  }
  fs.writeFileSync(out, JSON.stringify({ texts: texts.length, top }));
} else {
  // warm-up on a few batches, then one timed pass over every batch
  let batches = plan.batches;
  if (batching === 'input8') {
    batches = [];
    for (let i = 0; i < texts.length; i += 8) {
      batches.push(Array.from({ length: Math.min(8, texts.length - i) }, (_, j) => i + j));
    }
  }
  for (const batch of batches.slice(0, 4)) await classify(batch.map((i) => texts[i]));
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (const batch of batches) {
    const { probs } = await classify(batch.map((i) => texts[i]));
    sink += probs[0][0];
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const result = { ...versions(), texts: texts.length, seconds, texts_per_s: texts.length / seconds, sink };
  console.log(`bench.mjs time: ${texts.length} texts in ${seconds.toFixed(2)} s, ${(texts.length / seconds).toFixed(1)} texts/s`);
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
}
