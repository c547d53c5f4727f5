export { buildrootFragment, kernelConfigFragment, OPTION_C_ENTRY, OPTION_C_PATH, optionCPatch } from './kernel'
export { POST_COPY_ROOTFS, sdkOverlayFiles, writeSdkOverlay, type OverlayFile } from './overlay'
