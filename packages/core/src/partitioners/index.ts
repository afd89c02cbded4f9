export { defaultPartitioner } from './default-partitioner.js'
export { murmur2, toPositive } from './murmur2.js'
