// The one translation unit that compiles Asio and its OpenSSL layer
// (BOOST_ASIO_SEPARATE_COMPILATION): every other file only parses declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
