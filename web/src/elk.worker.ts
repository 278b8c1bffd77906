/** The layout worker: ELK's own worker script, which answers elk-api's messages. */
import 'elkjs/lib/elk-worker.min.js';
