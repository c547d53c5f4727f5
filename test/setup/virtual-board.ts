/** Gives the engine the virtual board for `connect({ sim })` in every test file, as the app's composition roots do. */
import '../../src-services/virtual-boards'
