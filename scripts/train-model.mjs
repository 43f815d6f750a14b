// Trains the bot's understanding from the shipped corpus and writes its weights beside the compiled
// code (dist/understanding/model.json), so that Charla loads them at start instead of training
// (src/understanding/shipped-model.ts). Run by `npm run build`, after tsc.
import { writeShippedModel } from '../dist/understanding/shipped-model.js';

const { file, ms, messages } = writeShippedModel();
console.log(`understanding: trained from ${messages} messages in ${ms} ms, weights in ${file}`);
