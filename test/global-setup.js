/** Says plainly, once per run and before any test, which optional suites are skipped and how to run them. */
export default function globalSetup() {
  if (!process.env.MONGODB_URI) {
    process.stdout.write('\nMongoDB contract suite SKIPPED: MONGODB_URI is not set. Run `MONGODB_URI=mongodb://127.0.0.1:27017 npm test` against a MongoDB server to include it.\n\n');
  }
}
