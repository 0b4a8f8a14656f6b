/** Limits shared by every API client of msp (Terraform Cloud, Google): one home for each. */

/** Larger response bodies are refused while they stream in: a real answer is a few kilobytes. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024

/** {@link MAX_RESPONSE_BYTES} in whole megabytes, for messages. */
export const MAX_RESPONSE_MB = MAX_RESPONSE_BYTES / 1024 / 1024

/** A workspace's state is larger than an API answer (every attribute of every resource); larger ones are refused. */
export const MAX_STATE_BYTES = 128 * 1024 * 1024
