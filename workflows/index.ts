// The workflow bundle's entry: every workflow type the worker runs.
export { smokeWorkflow } from './smoke';
