/** The zoo: importing this module registers every family. */
import './lenet.js';
// zoo:classic
import './alexnet.js';
import './zfnet.js';
import './vgg.js';
import './googlenet.js';
import './inception_v3.js';
import './squeezenet.js';
// zoo:modern
import './resnet.js';
import './resnet_v2.js';
import './resnet_torchvision.js';
import './resnet_cifar.js';
import './mobilenet.js';
import './mobilenet_v2.js';
import './mobilenet_v3.js';
import './efficientnet.js';
// zoo:keras
import './xception.js';
import './inception_resnet_v2.js';
import './densenet.js';
import './nasnet.js';
export * from './registry.js';
export * from './blocks.js';
