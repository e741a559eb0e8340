export { type AclDecision, type AclReason, aclReasons, decidePublish, decideSubscribe } from './acl.ts';
export { registerBrokerCommands } from './cli.ts';
export { type BrokerCliConfig, loadBrokerConfig, REGISTRY_FILE } from './config.ts';
export { type Broker, type BrokerDeps, createBroker } from './create-broker.ts';
export type { ListeningPorts, ListenOptions } from './listeners.ts';
export { connectLocal, type LocalConnectionDeps } from './local-connection.ts';
export { connectMqtt, type MqttConnectionOptions } from './mqtt-connection.ts';
export {
  type AuthFailure,
  type AuthResult,
  type Credentials,
  type DeviceRecord,
  DeviceSpec,
  type OperatorRecord,
  OperatorRole,
  Registry,
  RegistryError,
  type ServiceRecord,
} from './registry.ts';
